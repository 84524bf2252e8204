// The HTTP thread's side of the writer thread (writer-worker.ts): requests out, answers back as promises.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DecideRequest, DecideResponse } from '../../decide.js';
import type { Logger } from '../../log.js';
import type { BatchResult } from '../contract.js';
import type { EventRow } from '../rows.js';

/** What the writer thread starts with. */
export interface WriterData {
  file: string;
  /** The compiled catalog's JSON; null when the store has none. */
  catalogJson: string | null;
  /** Set to 1 by the writer once its connection is closed. */
  closed: Int32Array;
}

/** A message to the writer thread. */
export type WriterRequest =
  | { type: 'batch'; id: number; rows: EventRow[]; receivedMs: number }
  | { type: 'decide'; id: number; request: DecideRequest; now: number }
  | { type: 'catalog'; catalogJson: string }
  | { type: 'close' };

/** An error as it crosses from the writer thread (better-sqlite3's errors would lose their message). */
export interface WriterError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
}

/** The writer thread's answer to a batch or decide request. */
export type WriterReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WriterError };

/** An error of the writer thread, rebuilt on this side with its name, message, stack and code. */
const rebuild = ({ name, message, stack, code }: WriterError): Error => Object.assign(new Error(message), { name, stack, code });

/** The database writes of a server, done on a thread of their own. */
export interface Writer {
  /** Stores rows as one batch (group-committed with others); resolves once committed. */
  insertRows(rows: EventRow[], receivedMs: number): Promise<BatchResult>;
  /** POST /v1/decide with the catalog of the moment. */
  decide(request: DecideRequest, now: number): Promise<DecideResponse>;
  /** Waits for the writer to finish what it was sent and close its connection. */
  close(): void;
}

/** How long close() waits for the writer thread to finish. */
const CLOSE_WAIT_MS = 30_000;

let sourceBundle: URL | undefined;

/**
 * The writer thread's script: beside this module once built (`.js`) or bundled (`.mjs`). Run from the
 * TypeScript sources (the tests do), it is bundled once by esbuild, a development dependency.
 */
function writerScript(): URL {
  const here = fileURLToPath(import.meta.url);
  if (extname(here) !== '.ts') return new URL(`./writer-worker${extname(here)}`, import.meta.url);
  if (sourceBundle) return sourceBundle;
  const { buildSync } = createRequire(import.meta.url)('esbuild') as {
    buildSync(options: object): { outputFiles: Array<{ text: string }> };
  };
  const { text } = buildSync({
    entryPoints: [join(dirname(here), 'writer-worker.ts')],
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
  const cache = fileURLToPath(new URL('../../../node_modules/.cache/beckon/', import.meta.url));
  const file = join(cache, `writer-worker-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(cache, { recursive: true });
    writeFileSync(`${file}.${process.pid}`, text);
    renameSync(`${file}.${process.pid}`, file);
  }
  return (sourceBundle = pathToFileURL(file));
}

/**
 * Starts the writer thread over the database `file` (already opened and migrated by the caller).
 * `catalog` is the catalog to serve; the writer gets each new one (by ETag) before the next request.
 */
export function startWriter(file: string, catalog: (() => { json: string; etag: string }) | undefined, log: Logger): Writer {
  const closed = new Int32Array(new SharedArrayBuffer(4));
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
  let nextId = 0;
  let worker: Worker | undefined;
  let sentEtag = '';

  function failAll(error: unknown): void {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  }

  function spawn(): Worker {
    const served = catalog?.();
    sentEtag = served?.etag ?? '';
    const started = new Worker(writerScript(), { workerData: { file, catalogJson: served?.json ?? null, closed } satisfies WriterData });
    // Requests in flight keep the process alive (their sockets do); the writer alone never does.
    started.unref();
    started.on('message', (reply: WriterReply) => {
      const waiting = pending.get(reply.id);
      pending.delete(reply.id);
      if (reply.ok) waiting?.resolve(reply.value);
      else waiting?.reject(rebuild(reply.error));
    });
    started.on('error', (error) => {
      log({ level: 'error', message: 'the database writer thread failed; starting another', error });
      worker = undefined;
      failAll(error);
    });
    started.on('exit', () => {
      if (worker === started) worker = undefined;
      failAll(new Error('the database writer thread stopped'));
    });
    return started;
  }

  function send<T>(request: (id: number) => WriterRequest): Promise<T> {
    worker ??= spawn();
    const served = catalog?.();
    if (served && served.etag !== sentEtag) {
      worker.postMessage({ type: 'catalog', catalogJson: served.json } satisfies WriterRequest);
      sentEtag = served.etag;
    }
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker!.postMessage(request(id));
    });
  }

  worker = spawn();
  return {
    insertRows: (rows, receivedMs) => send((id) => ({ type: 'batch', id, rows, receivedMs })),
    decide: (request, now) => send((id) => ({ type: 'decide', id, request, now })),
    close() {
      const running = worker;
      worker = undefined;
      if (!running) return;
      running.postMessage({ type: 'close' } satisfies WriterRequest);
      // Blocks this thread briefly, so close() returns with the database closed, as it always has.
      Atomics.wait(closed, 0, 0, CLOSE_WAIT_MS);
      void running.terminate();
      failAll(new Error('the server is closed'));
    },
  };
}
