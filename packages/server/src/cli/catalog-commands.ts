import { readFileSync } from 'node:fs';
import type { CompiledCatalog } from '@beckon/rules';
import { loadCatalog } from '../catalog/load.js';
import { parseArgs, UsageError } from './args.js';
import { COMPILE_HELP, VALIDATE_HELP } from './help.js';
import type { CliIO } from './main.js';

/** Reads and compiles the one catalog file a command names; on help or failure, the exit code instead. */
function loadFromArgs(command: string, args: readonly string[], help: string, io: CliIO): { file: string; compiled: CompiledCatalog } | number {
  const { options, positionals } = parseArgs(args, { help: { type: 'boolean' }, h: { type: 'boolean' } });
  if (options['help'] || options['h']) {
    io.stdout(help);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`pass exactly one catalog file: beckon ${command} messages.json`);
  const file = positionals[0]!;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    io.stderr(`${file}: cannot be read: ${(error as Error).message}\n`);
    return 1;
  }
  const loaded = loadCatalog(text);
  if (!loaded.ok) {
    for (const { message } of loaded.errors) io.stderr(`${file}: ${message}\n`);
    io.stderr(`${file}: ${loaded.errors.length} error${loaded.errors.length === 1 ? '' : 's'}\n`);
    return 1;
  }
  return { file, compiled: loaded.compiled };
}

/** `beckon validate messages.json`: prints every error with its path; exits 1 when there is one. */
export async function validateCommand(args: readonly string[], io: CliIO): Promise<number> {
  const loaded = loadFromArgs('validate', args, VALIDATE_HELP, io);
  if (typeof loaded === 'number') return loaded;
  const count = loaded.compiled.messages.length;
  io.stdout(`${loaded.file}: valid, ${count} message${count === 1 ? '' : 's'}\n`);
  return 0;
}

/** `beckon compile messages.json > compiled.json`: the compiled catalog as JSON on stdout. */
export async function compileCommand(args: readonly string[], io: CliIO): Promise<number> {
  const loaded = loadFromArgs('compile', args, COMPILE_HELP, io);
  if (typeof loaded === 'number') return loaded;
  io.stdout(`${JSON.stringify(loaded.compiled)}\n`);
  return 0;
}
