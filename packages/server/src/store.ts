import type { BeckonEvent, MessageMetrics, MetricsGoal } from '@beckon/tracking';
import type { BatchResult, StorageHealth, TimeRange } from './storage/contract.js';
import { withStoredContext } from './http/stored-context.js';
import { createStorage } from './storage/open.js';

/** A Beckon database used without the HTTP server: import events, compute metrics. */
export interface BeckonStore {
  /**
   * Stores events (already valid, e.g. from `parseBatch`) once each, in one transaction; as POST /v1/batch does,
   * but with their whole context (a backfill keeps what it brings), less any IP address, which is never stored.
   */
  insertBatch(events: readonly BeckonEvent[]): Promise<BatchResult>;
  /** Per-message metrics over [from, to) in epoch ms, as GET /v1/metrics computes them; goals by message id. */
  metrics(range: TimeRange, goals?: Readonly<Record<string, MetricsGoal>>): Promise<MessageMetrics[]>;
  /** A round trip to the database: whether it answers, and how fast. */
  ping(): Promise<StorageHealth>;
  /** Closes the database. */
  close(): Promise<void>;
}

/**
 * Opens (or creates) a Beckon database for use from code: backfills, reports, tests. `db` is a
 * PostgreSQL URL (`postgres://user@host/beckon`) or the path of a SQLite file. The schema is created
 * or upgraded. Rejects with a DatabaseFileError or DatabaseUnavailableError naming the database when
 * it cannot be used.
 */
export async function openStore(db: string, options: { now?: () => number } = {}): Promise<BeckonStore> {
  const now = options.now ?? Date.now;
  const storage = createStorage(db);
  try {
    await storage.ready;
  } catch (error) {
    await storage.close();
    throw error;
  }
  return {
    insertBatch: (events) => storage.insertBatch(events.map((event) => withStoredContext(event, true)), now()),
    metrics: (range, goals = {}) => storage.metrics(range, goals),
    ping: () => storage.ping(),
    close: () => storage.close(),
  };
}
