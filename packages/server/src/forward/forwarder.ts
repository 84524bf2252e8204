// Drains the outbox to each destination: one loop per destination, one batch in flight at a time (so
// the destination gets events in storage order), retried with backoff until it is taken, then removed.
// Runs beside ingest and never blocks it: a destination that is down only lets its outbox grow.
import type { Logger } from '../log.js';
import type { DestinationBacklog, Outbox, OutboxClaim, OutboxEntry } from '../storage/outbox.js';
import { retryDelay } from './backoff.js';
import type { Destination } from './destination.js';
import { DeliveryError, segmentBatch, sendBatch } from './send.js';

/** How forwarding paces itself. Every field has a default. */
export interface ForwardOptions {
  /** Most events in one request (default 100). */
  batchSize?: number;
  /** Most bytes in one request (default 480 000, under Segment's 500 kB); a larger event goes alone. */
  maxBatchBytes?: number;
  /** The first retry's delay after a failed request, in ms (default 1 000). */
  minRetryMs?: number;
  /** The longest delay between retries, in ms (default 300 000, five minutes). */
  maxRetryMs?: number;
  /** How often an idle destination looks for events stored by other processes, or tries to take over (ms, default 1 000). */
  pollMs?: number;
  /** How long one request may take before it is given up and retried (ms, default 30 000). */
  timeoutMs?: number;
  /** Randomness for the retry jitter, in [0, 1) (default Math.random). */
  random?: () => number;
  /** The clock, epoch ms (default Date.now). */
  now?: () => number;
}

/**
 * What one destination's forwarding did, as GET /v1/health shows it: `lastError` and `lastDeliveredAt` are
 * this process's own when it forwards the destination, else what the process that does last reported.
 */
export interface DestinationStatus extends DestinationBacklog {
  /** True when this process is the one forwarding it (several processes on PostgreSQL take turns). */
  forwarding: boolean;
  /** Events this process delivered there since it started. */
  delivered: number;
}

/** Forwarding to every destination, running until closed. */
export interface Forwarder {
  /** Says new events were stored, so idle destinations look now rather than at their next poll. */
  wake(): void;
  /** Each destination's backlog (from the database) and this process's view of its delivery. */
  status(): Promise<DestinationStatus[]>;
  /** Stops: the request in flight is abandoned (its events stay in the outbox) and every claim is released. */
  close(): Promise<void>;
}

/** How often a delivering process reports its last delivery to the others. */
const REPORT_EVERY_MS = 5_000;

const DEFAULTS = { batchSize: 100, maxBatchBytes: 480_000, minRetryMs: 1_000, maxRetryMs: 300_000, pollMs: 1_000, timeoutMs: 30_000 };

/** The first entries that fit in `maxBytes` (at least one). */
function fitting(entries: readonly OutboxEntry[], maxBytes: number): OutboxEntry[] {
  let bytes = 64;
  let count = 0;
  for (const entry of entries) {
    bytes += Buffer.byteLength(entry.body) + 1;
    if (count > 0 && bytes > maxBytes) break;
    count += 1;
  }
  return entries.slice(0, count);
}

/** Starts forwarding `outbox` to `destinations` (named as the outbox knows them). */
export function startForwarding(outbox: Outbox, destinations: readonly Destination[], log: Logger, options: ForwardOptions = {}): Forwarder {
  const settings = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof DEFAULTS;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const stopping = new AbortController();
  const wakers = new Set<() => void>();

  /** Resolves after `ms`, on wake() when `wakeable`, or at close. */
  const pause = (ms: number, wakeable: boolean) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakers.delete(done);
        stopping.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      if (wakeable) wakers.add(done);
      stopping.signal.addEventListener('abort', done);
    });

  const states = destinations.map((destination) => ({
    destination,
    claim: undefined as OutboxClaim | undefined,
    delivered: 0,
    lastDeliveredAt: undefined as string | undefined,
    lastError: undefined as string | undefined,
    lastErrorAt: undefined as string | undefined,
    lastErrorMs: null as number | null,
    lastDeliveredMs: null as number | null,
    /** When this process last told the database how forwarding goes (ms). */
    reportedMs: 0,
  }));
  type State = (typeof states)[number];

  /** Tells the other processes (through the database) how forwarding goes; a failure to do so is not one of forwarding. */
  function report(state: State): void {
    state.reportedMs = now();
    const { lastError = null, lastErrorMs, lastDeliveredMs } = state;
    void state.claim?.report({ lastError, lastErrorMs, lastDeliveredMs }).catch(() => {});
  }

  function failed(state: State, error: unknown, what: string): void {
    const message = error instanceof DeliveryError ? error.message : `${what} for ${state.destination.name} failed: ${(error as Error).message}`;
    const changed = message !== state.lastError;
    state.lastError = message;
    state.lastErrorMs = now();
    state.lastErrorAt = new Date(state.lastErrorMs).toISOString();
    // Logged and reported when the error changes, not at every retry of a destination that stays down.
    if (changed) {
      log({ level: 'warn', message: `forwarding: ${message}; retrying`, fields: { destination: state.destination.name } });
      report(state);
    }
  }

  async function drop(state: State): Promise<void> {
    const claim = state.claim;
    state.claim = undefined;
    await claim?.release().catch(() => {});
  }

  /** Sends one batch until it is taken (or forwarding stops); false when stopped first. */
  async function deliver(state: State, entries: OutboxEntry[]): Promise<OutboxEntry[] | undefined> {
    let batch = entries;
    for (let attempt = 1; !stopping.signal.aborted; attempt++) {
      try {
        const signal = AbortSignal.any([stopping.signal, AbortSignal.timeout(settings.timeoutMs)]);
        await sendBatch(state.destination, segmentBatch(batch, now()), signal);
        return batch;
      } catch (error) {
        if (stopping.signal.aborted) return undefined;
        failed(state, error, 'a request');
        // Too large for this destination: send fewer at a time (down to one) rather than the same again.
        if (error instanceof DeliveryError && error.status === 413 && batch.length > 1) batch = batch.slice(0, Math.ceil(batch.length / 2));
        await pause(retryDelay(attempt, random(), { minMs: settings.minRetryMs, maxMs: settings.maxRetryMs }), false);
      }
    }
    return undefined;
  }

  async function run(state: State): Promise<void> {
    let attempt = 0;
    while (!stopping.signal.aborted) {
      try {
        state.claim ??= (await outbox.claim(state.destination.name)) ?? undefined;
        if (!state.claim) {
          // Another process forwards it; look again later in case it stops.
          await pause(settings.pollMs, false);
          continue;
        }
        const entries = fitting(await state.claim.next(settings.batchSize), settings.maxBatchBytes);
        if (entries.length === 0) {
          await pause(settings.pollMs, true);
          continue;
        }
        const sent = await deliver(state, entries);
        if (!sent) break;
        await state.claim.done(sent.map((e) => e.id));
        attempt = 0;
        state.delivered += sent.length;
        state.lastDeliveredMs = now();
        state.lastDeliveredAt = new Date(state.lastDeliveredMs).toISOString();
        const recovered = state.lastError !== undefined;
        if (recovered) log({ level: 'info', message: `forwarding: ${state.destination.name} takes events again` });
        state.lastError = state.lastErrorAt = undefined;
        state.lastErrorMs = null;
        // At once after an error, else at most every few seconds: one small write per destination, not per batch.
        if (recovered || state.lastDeliveredMs - state.reportedMs >= REPORT_EVERY_MS) report(state);
      } catch (error) {
        // The database failed us: give the destination up (another process may take it), wait, start over.
        if (stopping.signal.aborted) break;
        failed(state, error, 'the outbox');
        await drop(state);
        attempt += 1;
        await pause(retryDelay(attempt, random(), { minMs: settings.minRetryMs, maxMs: settings.maxRetryMs }), false);
      }
    }
    await drop(state);
  }

  const running = Promise.all(states.map(run));
  return {
    wake() {
      for (const waker of [...wakers]) waker();
    },
    async status() {
      const backlog = new Map((await outbox.backlog(now())).map((b) => [b.destination, b]));
      const configured = new Set(states.map((state) => state.destination.name));
      // Events left for a destination no longer given to this process: shown so they are not forgotten.
      const left = [...backlog.values()].filter((b) => !configured.has(b.destination) && b.pending > 0).map((b): DestinationStatus => ({
        ...b, forwarding: false, delivered: 0, lastError: 'not a destination of this process: its events wait until it is given again',
      }));
      return [...states.map((state): DestinationStatus => {
        const shared = backlog.get(state.destination.name) ?? { destination: state.destination.name, pending: 0, oldestPendingSeconds: 0 };
        if (state.claim === undefined) return { ...shared, forwarding: false, delivered: state.delivered };
        // This process forwards it: its own view is the freshest.
        const { lastError: _e, lastErrorAt: _a, lastDeliveredAt: _d, ...backlogOnly } = shared;
        return {
          ...backlogOnly,
          forwarding: true,
          delivered: state.delivered,
          ...(state.lastDeliveredAt ? { lastDeliveredAt: state.lastDeliveredAt } : {}),
          ...(state.lastError ? { lastError: state.lastError, lastErrorAt: state.lastErrorAt } : {}),
        };
      }), ...left];
    },
    async close() {
      stopping.abort();
      await running;
    },
  };
}
