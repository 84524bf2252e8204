import type { CompiledCatalog } from '@beckon/rules';
import type { BeckonEvent, MessageMetrics, MetricsGoal } from '@beckon/tracking';
import { openDatabase, type BeckonDatabase } from './db/database.js';
import { createEventStore, type BatchResult, type EventStore } from './db/events.js';
import { createLedgerStore, type LedgerStore } from './db/ledgers.js';
import { createMetricsQuery, type MetricsQuery, type TimeRange } from './metrics/query.js';

/** The database and the stores over it, as the server uses them. */
export interface Storage {
  db: BeckonDatabase;
  events: EventStore;
  ledgers: LedgerStore;
  metrics: MetricsQuery;
}

/**
 * Opens the database file and prepares every store; ledgers follow the stored message events and,
 * with `catalog`, are pruned to what its frequency rules need.
 */
export function openStorage(file: string, catalog?: () => CompiledCatalog): Storage {
  const db = openDatabase(file);
  const ledgers = createLedgerStore(db, catalog);
  return { db, ledgers, events: createEventStore(db, ledgers.eventHooks()), metrics: createMetricsQuery(db) };
}

/** A Beckon database used without the HTTP server: import events, compute metrics. */
export interface BeckonStore {
  /** Stores events (already valid, e.g. from `parseBatch`) once each, in one transaction; as POST /v1/batch does. */
  insertBatch(events: readonly BeckonEvent[]): BatchResult;
  /** Per-message metrics over [from, to) in epoch ms, as GET /v1/metrics computes them; goals by message id. */
  metrics(range: TimeRange, goals?: Readonly<Record<string, MetricsGoal>>): MessageMetrics[];
  /** Closes the database. */
  close(): void;
}

/**
 * Opens (or creates) a Beckon SQLite database for use from code: backfills, reports, tests.
 * Throws a DatabaseFileError naming the file when it cannot be used.
 */
export function openStore(file: string, options: { now?: () => number } = {}): BeckonStore {
  const now = options.now ?? Date.now;
  const storage = openStorage(file);
  return {
    insertBatch: (events) => storage.events.insertBatch(events, now()),
    metrics: (range, goals = {}) => storage.metrics(range, goals),
    close: () => storage.db.close(),
  };
}
