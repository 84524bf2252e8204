// `npm run demo`: bootstraps a fresh clone, builds the packages and the docs site, starts `beckon serve`
// with the demo catalog and a SQLite file, serves the site and the demo store, and prints the URLs.
// Ctrl-C stops both. Ports: PORT (the site, default 8080) and BECKON_PORT (the server, default 8787).
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { installDependencies, root, runOrExit } from './bootstrap.mjs';

const HOST = '127.0.0.1';
const CATALOG = path.join('docs', 'demo', 'messages.json');
const DATABASE = path.join('.demo', 'beckon.sqlite');

/** A port from the environment variable `name`, or `fallback`; exits with a clear message when it is not one. */
function portFrom(name, fallback) {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) {
    console.error(`${name}="${text}" is not a port: use a number from 1 to 65535, e.g. ${name}=${fallback + 1} npm run demo`);
    process.exit(2);
  }
  return port;
}

/** Resolves when `port` can be listened on, or exits naming the variable that picks another. */
function ensureFree(port, name, what) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error) => {
      const reason = error.code === 'EADDRINUSE' ? 'is already in use (is the demo running in another terminal?)' : `cannot be used (${error.code ?? error.message})`;
      console.error(`\nPort ${port} for ${what} ${reason}.\nPick another one: ${name}=${port + 1} npm run demo`);
      process.exit(1);
    });
    probe.listen(port, HOST, () => probe.close(resolve));
  });
}

/** Starts `beckon serve` and resolves once it listens; exits when it fails to start. */
function startBeckon(port) {
  const cli = path.join(root, 'packages', 'server', 'dist', 'cli.js');
  const args = [cli, 'serve', '--catalog', CATALOG, '--db', DATABASE, '--host', HOST, '--port', String(port)];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => {
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      if (!/listening on/.test(output)) return;
      child.stdout.off('data', onData);
      child.stdout.pipe(process.stdout);
      resolve(child);
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', onData);
    child.once('exit', (code) => {
      if (/listening on/.test(output)) return;
      process.stdout.write(output);
      console.error(`\nbeckon serve stopped before it was ready (exit code ${code}); see above.`);
      process.exit(1);
    });
  });
}

const sitePort = portFrom('PORT', 8080);
const beckonPort = portFrom('BECKON_PORT', 8787);
if (sitePort === beckonPort) {
  console.error(`PORT and BECKON_PORT are both ${sitePort}: the site and the Beckon server need a port each.`);
  process.exit(2);
}

async function checkPorts() {
  await ensureFree(sitePort, 'PORT', 'the docs site');
  await ensureFree(beckonPort, 'BECKON_PORT', 'the Beckon server');
}

// Checked first, so a taken port is reported before the install and the build, and again after them.
await checkPorts();
installDependencies();
console.log('\nBuilding the packages…');
runOrExit(process.execPath, [path.join('scripts', 'build.mjs')]);
console.log('Building the docs site…');
// Imported only now: on a fresh clone its dependencies (esbuild, marked) were just installed.
const { buildSite } = await import(pathToFileURL(path.join(root, 'docs', 'build.mjs')).href);
const { serveSite } = await import(pathToFileURL(path.join(root, 'docs', 'serve.mjs')).href);
const siteDir = await buildSite();

await checkPorts();
mkdirSync(path.join(root, '.demo'), { recursive: true });
const beckon = await startBeckon(beckonPort);
// The pages reach the server on the host name they were opened with (localhost or 127.0.0.1).
const config = `{ endpoint: location.protocol + '//' + location.hostname + ':${beckonPort}' }`;
const site = await serveSite({ root: siteDir, port: sitePort, host: HOST, config }).catch((error) => {
  beckon.kill('SIGTERM');
  console.error(`\nServing the docs site on port ${sitePort} failed: ${error.message}`);
  process.exit(1);
});

const siteUrl = `http://localhost:${sitePort}`;
console.log(`
  The Beckon demo is running.

    Demo store          ${siteUrl}/store/
    Docs & playground   ${siteUrl}/
    Dashboard           http://localhost:${beckonPort}/dashboard

  In the store, an anonymous visitor sees a welcome banner on arrival, an inline offer
  and, half-way down a product page, a first-order coupon; on Pricing, moving the pointer
  out through the top of the window brings an exit-intent popup. Signing up identifies
  the visitor: the anonymous messages vanish and the dashboard shows the conversion.
  "Reset visitor" (top right) starts over as someone new.

  Events are kept in ${DATABASE}. Press Ctrl-C to stop.
`);

let stopping = false;
function stop(signal) {
  if (stopping) process.exit(130); // a second Ctrl-C quits at once
  stopping = true;
  console.log(`\n${signal} received: stopping the demo…`);
  site.closeAllConnections?.();
  site.close();
  // In a terminal, Ctrl-C reaches beckon serve too; a signal of our own covers every other case.
  if (beckon.exitCode === null) beckon.kill('SIGTERM');
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
beckon.once('exit', (code, signal) => {
  if (!stopping) {
    console.error(`\nbeckon serve exited unexpectedly (${signal ?? `exit code ${code}`}); stopping the demo.`);
    site.close();
    process.exit(1);
  }
  console.log('Demo stopped.');
  process.exit(0);
});
