// Where a worker thread's script is, and errors as they cross from a worker thread.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** An error as it crosses from a worker thread (better-sqlite3's errors would lose their message). */
export interface WorkerError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
}

/** An error of a worker thread, rebuilt on this side with its name, message, stack and code. */
export const rebuildError = ({ name, message, stack, code }: WorkerError): Error => Object.assign(new Error(message), { name, stack, code });

const bundles = new Map<string, URL>();

/**
 * The script `name` of a worker thread, beside the module at `moduleUrl` once built (`.js`) or bundled
 * (`.mjs`). Run from the TypeScript sources (the tests do), it is bundled once by esbuild, a development
 * dependency.
 */
export function workerScript(moduleUrl: string, name: string): URL {
  const here = fileURLToPath(moduleUrl);
  if (extname(here) !== '.ts') return new URL(`./${name}${extname(here)}`, moduleUrl);
  const entry = join(dirname(here), `${name}.ts`);
  const known = bundles.get(entry);
  if (known) return known;
  const { buildSync } = createRequire(import.meta.url)('esbuild') as {
    buildSync(options: object): { outputFiles: Array<{ text: string }> };
  };
  const { text } = buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['source'],
    external: ['better-sqlite3'],
    write: false,
    logLevel: 'warning',
  }).outputFiles[0]!;
  // Inside @beckon/server's node_modules, where better-sqlite3 resolves; named by content, so
  // processes running at once never read each other's half-written file.
  const cache = fileURLToPath(new URL('../node_modules/.cache/beckon/', import.meta.url));
  const file = join(cache, `${name}-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(cache, { recursive: true });
    writeFileSync(`${file}.${process.pid}`, text);
    renameSync(`${file}.${process.pid}`, file);
  }
  const url = pathToFileURL(file);
  bundles.set(entry, url);
  return url;
}
