// The HTTP thread's side of the writer thread (writer-worker.ts): requests out, answers back as promises.
import { Worker } from 'node:worker_threads';
import type { DecideRequest, Visit } from '../../decide.js';
import type { Logger } from '../../log.js';
import { rebuildError, workerScript, type WorkerError } from '../../worker-script.js';
import type { BatchResult } from '../contract.js';
import type { ErasureReport, PersonRef, RetentionPolicy, SweepStep } from '../people.js';
import type { EventRow } from '../rows.js';

/** What the writer thread starts with. */
export interface WriterData {
  file: string;
  /** The compiled catalog's JSON; null when the store has none. */
  catalogJson: string | null;
  /** Set to 1 by the writer once its connection is closed. */
  closed: Int32Array;
  /** Forwarding destinations each new event is queued for. */
  destinations: string[];
}

/** A message to the writer thread. */
export type WriterRequest =
  | { type: 'batch'; id: number; rows: EventRow[]; receivedMs: number }
  | { type: 'visit'; id: number; request: DecideRequest; now: number }
  | { type: 'erase'; id: number; ref: PersonRef; now: number; refuseUntil: number }
  | { type: 'sweep'; id: number; policy: RetentionPolicy; now: number }
  | { type: 'outboxDone'; id: number; ids: number[] }
  | { type: 'catalog'; catalogJson: string }
  | { type: 'close' };

/** The writer thread's answer to a batch or visit request. */
export type WriterReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WorkerError };

/** The database writes of a server, done on a thread of their own. */
export interface Writer {
  /** Stores rows as one batch (group-committed with others); resolves once committed. */
  insertRows(rows: EventRow[], receivedMs: number): Promise<BatchResult>;
  /** Records a decide's visit (ledger read, page view written); the decision is evaluated elsewhere. */
  visit(request: DecideRequest, now: number): Promise<Visit>;
  /** Erases a person (after the batches sent before it are stored); null when nothing is stored of them. */
  erase(ref: PersonRef, now: number, refuseUntil: number): Promise<ErasureReport | null>;
  /** One bounded step of the retention sweep. */
  sweep(policy: RetentionPolicy, now: number): Promise<SweepStep>;
  /** Deletes delivered outbox entries; resolves once committed. */
  outboxDone(ids: number[]): Promise<void>;
  /** Waits for the writer to finish what it was sent and close its connection. */
  close(): void;
}

/** How long close() waits for the writer thread to finish. */
const CLOSE_WAIT_MS = 30_000;

/**
 * Starts the writer thread over the database `file` (already opened and migrated by the caller).
 * `catalog` is the catalog to serve; the writer gets each new one (by ETag) before the next request.
 */
export function startWriter(
  file: string,
  catalog: (() => { json: string; etag: string }) | undefined,
  log: Logger,
  destinations: readonly string[] = [],
): Writer {
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
    const started = new Worker(workerScript(import.meta.url, 'writer-worker'), { workerData: {
      file, catalogJson: served?.json ?? null, closed, destinations: [...destinations],
    } satisfies WriterData });
    // Requests in flight keep the process alive (their sockets do); the writer alone never does.
    started.unref();
    started.on('message', (reply: WriterReply) => {
      const waiting = pending.get(reply.id);
      pending.delete(reply.id);
      if (reply.ok) waiting?.resolve(reply.value);
      else waiting?.reject(rebuildError(reply.error));
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
    visit: (request, now) => send((id) => ({ type: 'visit', id, request, now })),
    erase: (ref, now, refuseUntil) => send((id) => ({ type: 'erase', id, ref, now, refuseUntil })),
    sweep: (policy, now) => send((id) => ({ type: 'sweep', id, policy, now })),
    outboxDone: (ids) => send((id) => ({ type: 'outboxDone', id, ids })),
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
