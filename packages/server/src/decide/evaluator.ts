// The HTTP thread's side of the decide thread (evaluator-worker.ts): what to evaluate goes out, decisions
// come back as promises. A decision that takes too long is given up: the thread is replaced, so one
// hostile URL or pattern cannot hold every later decision.
import { Worker } from 'node:worker_threads';
import type { DecideRequest, DecideResponse, Visit } from '../decide.js';
import { HttpError } from '../http/errors.js';
import { workerScript, type WorkerError, rebuildError } from '../worker-script.js';

/** What the decide thread starts with. */
export interface EvaluatorData {
  catalogJson: string;
}

/** A message to the decide thread. */
export type EvaluatorRequest =
  | { type: 'evaluate'; id: number; request: DecideRequest; visit: Visit; now: number }
  | { type: 'catalog'; catalogJson: string };

/** The decide thread's answer. */
export type EvaluatorReply = { id: number; ok: true; value: DecideResponse } | { id: number; ok: false; error: WorkerError };

/** Decisions on a thread of their own. */
export interface Evaluator {
  /** Decides for the visitor of `request`, whose ledger the writer read (`visit`), with the catalog of the moment. */
  evaluate(request: DecideRequest, visit: Visit, now: number): Promise<DecideResponse>;
  /** Stops the thread. */
  close(): void;
}

/** How long a decision may take before it is given up (503) and the thread replaced: 5 s. */
export const DECIDE_TIMEOUT_MS = 5_000;

/** Starts the decide thread; `catalog` is the catalog to decide with, sent again whenever its ETag changes. */
export function startEvaluator(catalog: () => { json: string; etag: string }, timeoutMs = DECIDE_TIMEOUT_MS): Evaluator {
  const pending = new Map<number, { resolve(value: DecideResponse): void; reject(error: unknown): void; timer: NodeJS.Timeout }>();
  let worker: Worker | undefined;
  let sentEtag = '';
  let nextId = 0;

  function stop(error: unknown): void {
    const running = worker;
    worker = undefined;
    void running?.terminate();
    for (const { reject, timer } of pending.values()) {
      clearTimeout(timer);
      reject(error);
    }
    pending.clear();
  }

  function spawn(): Worker {
    const served = catalog();
    sentEtag = served.etag;
    const started = new Worker(workerScript(import.meta.url, 'evaluator-worker'), { workerData: { catalogJson: served.json } satisfies EvaluatorData });
    started.unref();
    started.on('message', (reply: EvaluatorReply) => {
      const waiting = pending.get(reply.id);
      if (!waiting) return;
      pending.delete(reply.id);
      clearTimeout(waiting.timer);
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(rebuildError(reply.error));
    });
    started.on('error', (error) => worker === started && stop(error));
    started.on('exit', () => worker === started && stop(new Error('the decide thread stopped')));
    return started;
  }

  worker = spawn();
  return {
    evaluate(request, visit, now) {
      worker ??= spawn();
      const served = catalog();
      if (served.etag !== sentEtag) {
        worker.postMessage({ type: 'catalog', catalogJson: served.json } satisfies EvaluatorRequest);
        sentEtag = served.etag;
      }
      const id = nextId++;
      return new Promise<DecideResponse>((resolve, reject) => {
        const timer = setTimeout(() => {
          stop(new HttpError(503, `the decision took longer than ${timeoutMs} ms and was given up: check the catalog's page patterns`, undefined, { 'retry-after': '1' }));
        }, timeoutMs);
        pending.set(id, { resolve, reject, timer });
        worker!.postMessage({ type: 'evaluate', id, request, visit, now } satisfies EvaluatorRequest);
      });
    },
    close: () => stop(new Error('the server is closed')),
  };
}
