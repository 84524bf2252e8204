// The one interface between Beckon and its database. The HTTP layer, decide, metrics, the dashboard,
// openStore and the CLI know only this; each engine (storage/sqlite, storage/postgres) implements it.
import type { CompiledCatalog } from '@beckon/rules';
import type { CollectedEvent, MessageMetrics, MetricsGoal, MetricsOptions } from '@beckon/tracking';
import type { DecideRequest, Visit } from '../decide.js';
import type { Logger } from '../log.js';
import type { ErasureReport, Person, PersonExport, PersonRef, RetentionPolicy, SweepStep } from './people.js';
import type { ExportPages } from './export.js';
import type { Outbox } from './outbox.js';

/** What one stored batch did. */
export interface BatchResult {
  /** Events stored now. */
  accepted: number;
  /** Events already stored before (same event id), including repeats inside the batch. */
  duplicates: number;
}

/** A time range [from, to) in epoch milliseconds. */
export interface TimeRange {
  from: number;
  to: number;
}

/**
 * What metrics take besides the range and the goals: the catalog's variants by message id (their order and weights,
 * for the comparisons and the split check) and `daily`, to count viewers and conversions by UTC day (trends).
 */
export type ExperimentOptions = Pick<MetricsOptions, 'variants' | 'daily'>;

/** The database's state, as GET /v1/health reports it. */
export interface StorageHealth {
  /** `sqlite` or `postgres`. */
  engine: StorageEngineName;
  /** True when the database answered a trivial query just now. */
  ok: boolean;
  /** How long that query took, in ms. */
  latencyMs: number;
  /** Why it is not ok (a sentence naming the database, never a password). */
  error?: string;
}

/** Connections of the engine: how many are open, idle, and how many requests wait for one. */
export interface StoragePoolStats {
  engine: StorageEngineName;
  /** Connections open now (SQLite: the writer's and the reader's). */
  total: number;
  /** Open connections doing nothing now. */
  idle: number;
  /** Requests queued for a connection. */
  waiting: number;
  /** The most connections the pool opens. */
  max: number;
}

/** An outbox's backlog: events stored but not yet forwarded to their destinations. */
export interface OutboxStats {
  /** Events waiting to be forwarded. */
  pending: number;
  /** Age of the oldest waiting event in seconds (0 when none waits). */
  oldestPendingSeconds: number;
}

/** The engines Beckon ships. */
export type StorageEngineName = 'sqlite' | 'postgres';

/** The compiled catalog of the moment and its ETag (decide reads it; pruning ledgers needs it). */
export type CatalogSource = () => { compiled: CompiledCatalog; json: string; etag: string };

/**
 * A Beckon database. Every method is asynchronous, whatever the engine; every write is all or
 * nothing; several processes on one PostgreSQL database see one store.
 */
export interface Storage {
  /** The engine behind it. */
  readonly engine: StorageEngineName;
  /**
   * Resolves once the database is reachable and its schema current (migrated if needed); rejects with
   * a DatabaseFileError or DatabaseUnavailableError whose message names the database and the fix.
   * Every other method waits for it.
   */
  readonly ready: Promise<void>;
  /**
   * Stores events once each (by their `messageId`) in one transaction, with identity links (identify and
   * alias) and ledgers.
   */
  insertBatch(events: readonly CollectedEvent[], receivedMs: number): Promise<BatchResult>;
  /**
   * POST /v1/decide's part in the database: reads the visitor's ledger (with their anonymous history while
   * unlinked) and records the page view (a request without `event`), with no other visit of the same
   * visitor in between (on any process). The decision itself is evaluated by the caller, off the thread
   * that stores events (`decideFor`).
   */
  recordVisit(request: DecideRequest, now: number): Promise<Visit>;
  /**
   * Per-message (and per-variant) metrics over a range, equal to `computeMetrics` on the stored events with the
   * same goals (by message id) and options.
   */
  metrics(range: TimeRange, goals: Readonly<Record<string, MetricsGoal>>, options?: ExperimentOptions): Promise<MessageMetrics[]>;
  /**
   * The person a user id or anonymous id names: a user with every anonymous id linked to them (an anonymous
   * id that is linked names its earliest user), or an unlinked anonymous id. Null when nothing is stored of them.
   */
  findPerson(ref: PersonRef): Promise<Person | null>;
  /** Everything stored about that person (events, identity links, ledgers), in one snapshot; null when nothing is. */
  exportPerson(ref: PersonRef): Promise<PersonExport | null>;
  /**
   * Deletes every event, identity link and ledger of that person in one transaction, and records a keyed hash
   * of each of their ids so that their events arriving before `refuseUntil` are refused. Null, with nothing
   * deleted, when nothing is stored of them.
   */
  erasePerson(ref: PersonRef, now: number, refuseUntil: number): Promise<ErasureReport | null>;
  /** The ids (`messageId`) of those events whose person was erased, with the record still in force at `now`. */
  erasedEvents(events: readonly CollectedEvent[], now: number): Promise<Set<string>>;
  /**
   * One bounded step of the retention sweep: deletes some of what `policy` says has expired at `now`. Call it
   * again until `done`; each step holds the database briefly, so events are stored between steps.
   */
  sweepRetention(policy: RetentionPolicy, now: number): Promise<SweepStep>;
  /** A cheap round trip to the database, for health and readiness checks; never rejects. */
  ping(): Promise<StorageHealth>;
  /** The connections in use, for monitoring. */
  poolStats(): StoragePoolStats;
  /**
   * The outbox's backlog, for GET /metrics (`beckon_outbox_*`). Only an engine with an outbox (events
   * waiting to be forwarded) implements it; without it no outbox metrics are exported.
   */
  outboxStats?(): Promise<OutboxStats>;
  /**
   * Every stored event whose time is in `range`, once, a page (at most `pageSize` events) at a time; the
   * next page is read only when asked for, so memory stays that of one page. SQLite gives them in the
   * order they were stored; PostgreSQL month by month, each month in its table's order.
   */
  exportEvents(range: TimeRange, pageSize?: number): ExportPages;
  /** The events queued for forwarding; present when the engine was opened with `destinations`. */
  readonly outbox?: Outbox;
  /** Finishes what was sent and closes every connection. */
  close(): Promise<void>;
}

/** What opening a database did to its schema, for `beckon migrate` and the start-up log. */
export interface MigrationReport {
  /** The schema version found: null for an empty database. */
  from: number | null;
  /** The version it has now. */
  to: number;
  /** One sentence per change made; empty when the schema was current. */
  actions: string[];
}

/** How an engine is opened. */
export interface OpenStorageOptions {
  /** The catalog decide uses and ledgers are pruned to; without one, decide shows nothing and ledgers keep everything. */
  catalog?: CatalogSource;
  /** Where the engine reports failures it recovers from (a writer thread restarted, a connection lost). */
  log?: Logger;
  /** Told what opening did to the schema (once it is current). */
  onMigrated?(report: MigrationReport): void;
  /** PostgreSQL: the most connections this process opens (default 10). */
  maxConnections?: number;
  /**
   * Forwarding destinations (their names as shown, without credentials): every event stored from now on
   * is queued in the outbox for each, in the transaction that stores it. None: nothing is queued.
   */
  destinations?: readonly string[];
}
