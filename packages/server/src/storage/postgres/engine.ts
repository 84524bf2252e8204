import type { OpenStorageOptions, Storage, StorageHealth } from '../contract.js';
import type { Outbox } from '../outbox.js';
import { redactUrl } from '../errors.js';
import { createBatchStore } from './batch.js';
import { createVisitRecorder } from './decide.js';
import { createExportQuery } from './export.js';
import { createMetricsQuery } from './metrics.js';
import { migrate } from './migrate.js';
import { outboxStats } from '../outbox.js';
import { createPostgresOutbox } from './outbox.js';
import { createPartitionKeeper } from './partitions.js';
import { createPeopleStore, preparePeopleSchema } from './people.js';
import { createSweeper } from './retention.js';
import { createPool, isConnectionError, unavailable } from './pool.js';

/** A time in each month from a year before `now` to two months after it. */
function monthsAround(now: number): number[] {
  const date = new Date(now);
  return Array.from({ length: 15 }, (_, i) => Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - 12 + i, 15));
}

/** How long a health check waits for the database before calling it down. */
const PING_TIMEOUT_MS = 2_000;

/**
 * The PostgreSQL engine: any number of processes on one database. Connects and migrates in the
 * background; `ready` says how that went. A lost connection fails the calls in flight with a
 * DatabaseUnavailableError (POST /v1/batch answers 503) and the pool reconnects on the next call.
 */
export function openPostgresStorage(url: string, options: OpenStorageOptions = {}): Storage {
  const pool = createPool(url, { max: options.maxConnections, log: options.log });
  const catalog = () => options.catalog?.().compiled;
  const partitions = createPartitionKeeper(pool);
  // The months around now get their partitions at start, so the first event of a month does not wait for DDL.
  let secret: Promise<string> | undefined;
  const ready = migrate(pool, url).then(async (report) => {
    secret = preparePeopleSchema(pool);
    await secret;
    await partitions.ensure(monthsAround(Date.now()));
    options.onMigrated?.(report);
  });
  ready.catch(() => {});
  const destinations = options.destinations ?? [];
  const insertBatch = createBatchStore(pool, partitions, catalog, destinations);
  const outbox = destinations.length > 0 ? createPostgresOutbox(pool, url, destinations, options.log) : undefined;
  const recordVisit = createVisitRecorder(pool, catalog);
  const metrics = createMetricsQuery(pool);
  const people = createPeopleStore(pool, () => secret!);
  const sweeper = createSweeper(pool);

  /** Waits for start-up, runs `call`, and turns a lost database into a DatabaseUnavailableError. */
  const guarded = <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await ready;
      try {
        return await call(...args);
      } catch (error) {
        throw isConnectionError(error) ? unavailable(url, error) : error;
      }
    };

  /** The outbox, waiting for start-up and naming a lost database as every other call does. */
  const guardedOutbox = (inner: Outbox): Outbox => ({
    destinations: inner.destinations,
    claim: guarded(inner.claim),
    backlog: guarded(inner.backlog),
  });

  const exportQuery = createExportQuery(pool);

  let closing: Promise<void> | undefined;
  return {
    engine: 'postgres',
    ready,
    insertBatch: guarded(insertBatch),
    recordVisit: guarded(recordVisit),
    metrics: guarded(metrics),
    async *exportEvents(range, pageSize) {
      await ready;
      try {
        yield* exportQuery(range, pageSize);
      } catch (error) {
        throw isConnectionError(error) ? unavailable(url, error) : error;
      }
    },
    findPerson: guarded(people.find),
    exportPerson: guarded(people.exportPerson),
    erasePerson: guarded(people.erase),
    erasedEvents: guarded(people.erasedEvents),
    sweepRetention: guarded(sweeper.step),
    async ping(): Promise<StorageHealth> {
      const started = performance.now();
      const result = (ok: boolean, error?: string): StorageHealth => ({
        engine: 'postgres', ok, latencyMs: performance.now() - started, ...(error ? { error } : {}),
      });
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
        });
        await Promise.race([pool.query('SELECT 1'), timeout]);
        return result(true);
      } catch (error) {
        return result(false, `database ${redactUrl(url)} does not answer: ${(error as Error).message}`);
      } finally {
        clearTimeout(timer);
      }
    },
    ...(outbox ? { outbox: guardedOutbox(outbox), outboxStats: guarded(() => outboxStats(outbox)) } : {}),
    poolStats: () => ({ engine: 'postgres', total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max }),
    close: () => (closing ??= Promise.all([pool.end(), outbox?.close()]).then(() => {})),
  };
}
