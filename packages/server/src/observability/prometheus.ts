// The numbers an operator scrapes from GET /metrics (Prometheus text format, prom-client): ingest,
// latency of batch and decide, refusals by reason, the database's connections and outbox, and
// Node's own process metrics. Each server has its own registry, so several in one process never mix.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { HttpError } from '../http/errors.js';
import type { Storage } from '../storage/contract.js';

/** Why POST /v1/batch refused a request: the `reason` label of the rejection counters. */
export type RejectReason =
  | 'invalid'
  /** Events of an erased person (counted one by one, like invalid ones). */
  | 'erased'
  | 'malformed'
  | 'unauthorized'
  | 'forbidden'
  | 'too_large'
  | 'unsupported_type'
  | 'rate_limited'
  | 'unavailable'
  | 'error';

/**
 * What /metrics asks of the storage engine at each scrape (every engine implements the contract's
 * `ping` and `poolStats`; `outboxStats` only an engine with an outbox, else no outbox metrics).
 */
export type StorageProbe = Pick<Storage, 'engine' | 'ping' | 'poolStats' | 'outboxStats'>;

/** Latency buckets in seconds, from a fast batch on SQLite (1 ms) to a slow database (5 s). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** The reason a refused batch is counted under, from the error that refused it. */
export function rejectReason(error: unknown): RejectReason {
  // By name: an error rebuilt after crossing from a worker thread keeps its name, not its class.
  if (error instanceof Error && error.name === 'DatabaseUnavailableError') return 'unavailable';
  if (!(error instanceof HttpError)) return 'error';
  switch (error.status) {
    case 400:
      // Schema violations list their issues; malformed JSON and empty bodies have none.
      return error.issues ? 'invalid' : 'malformed';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 413:
      return 'too_large';
    case 415:
      return 'unsupported_type';
    case 429:
      return 'rate_limited';
    case 503:
      return 'unavailable';
    default:
      return error.status >= 500 ? 'error' : 'malformed';
  }
}

/** A route handler as the server's router calls it. */
type RouteHandler<A extends unknown[]> = (req: IncomingMessage, res: ServerResponse, ...rest: A) => Promise<void> | void;

/** The server's Prometheus metrics and the hooks the HTTP layer calls. */
export interface ServerMetrics {
  /** The registry GET /metrics exports. */
  readonly registry: Registry;
  /** The collector's routes (/v1/batch, /v1/track, …), each timed, and its refused requests counted by reason. */
  collectorRoutes<A extends unknown[]>(routes: Record<string, { POST: RouteHandler<A> }>): Record<string, { POST: RouteHandler<A> }>;
  /** `store`, counting the events it stores, their duplicates, and the events of a batch it fails to store. */
  observeStore<E, R extends { accepted: number; duplicates: number }>(
    store: (events: E[], receivedMs: number) => Promise<R>,
  ): (events: E[], receivedMs: number) => Promise<R>;
  /** Times POST /v1/decide. */
  decideRoute<A extends unknown[]>(route: RouteHandler<A>): RouteHandler<A>;
  /** Events refused one by one, e.g. the invalid ones of a batch (its valid events are stored). */
  eventsRejected(reason: RejectReason, count: number): void;
  /** The Prometheus text exposition of every metric, with the storage's state of the moment. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

/** Creates the metrics of one server over `storage` (asked at each scrape). */
export function createServerMetrics(storage: StorageProbe): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const engine = storage.engine;

  const accepted = new Counter({ name: 'beckon_events_accepted_total', help: 'Events stored (first time seen).', registers: [registry] });
  const duplicates = new Counter({
    name: 'beckon_events_duplicate_total',
    help: 'Events received again (same messageId) and not stored twice.',
    registers: [registry],
  });
  const eventsRejected = new Counter({
    name: 'beckon_events_rejected_total',
    help: 'Events refused, by reason: invalid ones one by one, and the valid events of a batch that could not be stored.',
    labelNames: ['reason'],
    registers: [registry],
  });
  const batchesRejected = new Counter({
    name: 'beckon_batches_rejected_total',
    help: 'Collector requests (POST /v1/batch, /v1/track, ...) refused, by reason.',
    labelNames: ['reason'],
    registers: [registry],
  });
  const batchSeconds = new Histogram({
    name: 'beckon_batch_duration_seconds',
    help: 'Collector requests (POST /v1/batch, /v1/track, ...) from request to answer (reading, validating, storing), by status code.',
    labelNames: ['status'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const decideSeconds = new Histogram({
    name: 'beckon_decide_duration_seconds',
    help: 'POST /v1/decide from the request to the answer, by status code.',
    labelNames: ['status'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });

  // Database gauges carry the engine as a label, so what an engine does not report has no sample.
  new Gauge({
    name: 'beckon_db_up',
    help: '1 when the database answered a trivial query during this scrape, 0 when not.',
    labelNames: ['engine'],
    registers: [registry],
    async collect() {
      this.set({ engine }, (await storage.ping()).ok ? 1 : 0);
    },
  });
  new Gauge({
    name: 'beckon_db_pool_connections',
    help: 'Database connections by state: open, idle, and the most the engine opens (max).',
    labelNames: ['engine', 'state'],
    registers: [registry],
    collect() {
      const stats = storage.poolStats();
      this.set({ engine, state: 'open' }, stats.total);
      this.set({ engine, state: 'idle' }, stats.idle);
      this.set({ engine, state: 'max' }, stats.max);
    },
  });
  new Gauge({
    name: 'beckon_db_pool_waiting_requests',
    help: 'Requests waiting for a database connection.',
    labelNames: ['engine'],
    registers: [registry],
    collect() {
      this.set({ engine }, storage.poolStats().waiting);
    },
  });
  const outbox = storage.outboxStats?.bind(storage);
  if (outbox) {
    new Gauge({
      name: 'beckon_outbox_pending_events',
      help: 'Events stored but not yet forwarded to their destinations.',
      labelNames: ['engine'],
      registers: [registry],
      async collect() {
        this.set({ engine }, (await outbox()).pending);
      },
    });
    new Gauge({
      name: 'beckon_outbox_oldest_pending_seconds',
      help: 'Age of the oldest event waiting in the outbox (0 when none waits).',
      labelNames: ['engine'],
      registers: [registry],
      async collect() {
        this.set({ engine }, (await outbox()).oldestPendingSeconds);
      },
    });
  }

  /** `route`, timed into `histogram` by status code; `onError` sees what it throws. */
  function timed<A extends unknown[]>(histogram: Histogram<'status'>, route: RouteHandler<A>, onError?: (error: unknown) => void): RouteHandler<A> {
    return async (req, res, ...rest) => {
      const stop = histogram.startTimer();
      try {
        await route(req, res, ...rest);
        stop({ status: String(res.statusCode) });
      } catch (error) {
        // A lost database is answered 503 by the server (after this wrapper), so it is timed as one.
        const status = error instanceof HttpError ? error.status : rejectReason(error) === 'unavailable' ? 503 : 500;
        stop({ status: String(status) });
        onError?.(error);
        throw error;
      }
    };
  }
  const refused = (error: unknown) => batchesRejected.inc({ reason: rejectReason(error) });

  return {
    registry,
    collectorRoutes: (routes) =>
      Object.fromEntries(Object.entries(routes).map(([path, route]) => [path, { POST: timed(batchSeconds, route.POST, refused) }])),
    observeStore: (store) => async (events, receivedMs) => {
      try {
        const result = await store(events, receivedMs);
        accepted.inc(result.accepted);
        duplicates.inc(result.duplicates);
        return result;
      } catch (error) {
        // Valid events that were not stored: the client sends them again (503), or they are lost (500).
        eventsRejected.inc({ reason: rejectReason(error) }, events.length);
        throw error;
      }
    },
    decideRoute: (route) => timed(decideSeconds, route),
    eventsRejected(reason, count) {
      if (count > 0) eventsRejected.inc({ reason }, count);
    },
    async scrape() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
