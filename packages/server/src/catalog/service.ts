import { createHash } from 'node:crypto';
import { readFileSync, unwatchFile, watchFile, type Stats } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { CompiledCatalog } from '@beckon/rules';
import type { Logger } from '../log.js';
import { loadCatalog, type CatalogProblem } from './load.js';

/** A compiled catalog ready to serve: its JSON, gzipped JSON and ETag. */
export interface ServedCatalog {
  compiled: CompiledCatalog;
  json: string;
  gzip: Buffer;
  /** A strong ETag of the JSON, quoted. */
  etag: string;
  /** When it was loaded, epoch ms. */
  loadedAt: number;
}

/** The catalog's health, as GET /v1/health reports it. */
export interface CatalogStatus {
  file: string;
  /** False while the file on disk has errors (the last good catalog is still served). */
  ok: boolean;
  messages: number;
  etag: string;
  loadedAt: string;
  /** The errors of the file on disk, each with its path; empty when ok. */
  errors: CatalogProblem[];
}

/** A catalog file that cannot be served at start-up, with every problem found in it. */
export class CatalogFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly CatalogProblem[],
  ) {
    super(`catalog "${file}" has ${problems.length === 1 ? 'an error' : `${problems.length} errors`}:\n${problems.map((p) => `  ${p.message}`).join('\n')}`);
    this.name = 'CatalogFileError';
  }
}

/** Serves the catalog file compiled, and follows changes to it. */
export interface CatalogService {
  current(): ServedCatalog;
  status(): CatalogStatus;
  /** Re-reads the file now; keeps the last good catalog when the new one has errors. */
  reload(): void;
  /** Stops following the file. */
  close(): void;
}

/** How often the file's size and modification time are checked (works on every file system). */
const POLL_MS = 500;

function serve(compiled: CompiledCatalog, loadedAt: number): ServedCatalog {
  const json = JSON.stringify(compiled);
  const etag = `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`;
  return { compiled, json, gzip: gzipSync(json), etag, loadedAt };
}

/**
 * Loads the catalog file and follows it: each change is validated and compiled; a catalog with
 * errors keeps the last good one in service and reports the errors to `log` and in `status()`.
 * Throws a CatalogFileError when the file cannot be served at start-up.
 */
export function createCatalogService(file: string, log: Logger, now: () => number, options: { watch?: boolean } = {}): CatalogService {
  const read = (): ReturnType<typeof loadCatalog> => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      return { ok: false, errors: [{ path: '', message: `cannot be read: ${(error as Error).message}` }] };
    }
    return loadCatalog(text);
  };

  const first = read();
  if (!first.ok) throw new CatalogFileError(file, first.errors);
  let served = serve(first.compiled, now());
  let errors: CatalogProblem[] = [];

  function reload(): void {
    const next = read();
    if (!next.ok) {
      const changed = JSON.stringify(next.errors) !== JSON.stringify(errors);
      errors = next.errors;
      if (changed) {
        const lines = next.errors.map((p) => `  ${p.message}`).join('\n');
        log({ level: 'warn', message: `catalog "${file}" has errors; still serving the catalog loaded at ${new Date(served.loadedAt).toISOString()}:\n${lines}` });
      }
      return;
    }
    errors = [];
    const candidate = serve(next.compiled, now());
    if (candidate.etag === served.etag) return;
    served = candidate;
    log({ level: 'info', message: `catalog "${file}" reloaded: ${served.compiled.messages.length} messages` });
  }

  const onChange = (current: Stats, previous: Stats) => {
    if (current.mtimeMs !== previous.mtimeMs || current.size !== previous.size || current.ino !== previous.ino) reload();
  };
  const watching = options.watch ?? true;
  if (watching) watchFile(file, { interval: POLL_MS, persistent: false }, onChange);

  return {
    current: () => served,
    status: () => ({
      file,
      ok: errors.length === 0,
      messages: served.compiled.messages.length,
      etag: served.etag,
      loadedAt: new Date(served.loadedAt).toISOString(),
      errors,
    }),
    reload,
    close: () => {
      if (watching) unwatchFile(file, onChange);
    },
  };
}
