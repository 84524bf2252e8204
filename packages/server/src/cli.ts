#!/usr/bin/env node
// The `beckon` command: serve, migrate, export, validate, compile. See `beckon --help`.
import { main } from './cli/main.js';

const exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdoutStream: process.stdout,
  env: process.env,
  stderrIsTerminal: process.stderr.isTTY === true,
  stopSignal: () =>
    new Promise((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        // A second Ctrl-C while stopping quits at once.
        process.once(signal, () => process.exit(130));
        resolve(signal);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    }),
});
process.exitCode = exitCode;
