import { eventRow } from '../rows.js';
import type { OpenStorageOptions, Storage } from '../contract.js';
import { outboxStats } from '../outbox.js';
import { openDatabase } from './database.js';
import { createExportQuery } from './export.js';
import { createMetricsQuery } from './metrics.js';
import { createPeopleStore } from './people.js';
import { createSqliteOutbox } from './outbox.js';
import { startWriter } from './writer.js';

/**
 * The SQLite engine: one file, one process. Writes (batches, decide) go to a writer thread that
 * group-commits them, while the calling thread parses requests and reads metrics through its own
 * connection. Opens the file at once: throws a DatabaseFileError naming it when it cannot be used.
 */
export function openSqliteStorage(file: string, options: OpenStorageOptions = {}): Storage {
  const log = options.log ?? (() => {});
  // Opened here first, so a database that cannot be used is reported at once; metrics read through it.
  const db = openDatabase(file, options.onMigrated);
  const metrics = createMetricsQuery(db);
  const people = createPeopleStore(db);
  const destinations = options.destinations ?? [];
  const writer = startWriter(file, options.catalog, log, destinations);
  const outbox = destinations.length > 0 ? createSqliteOutbox(db, destinations, writer.outboxDone) : undefined;
  const select1 = db.prepare('SELECT 1');
  let closed = false;
  return {
    engine: 'sqlite',
    ready: Promise.resolve(),
    // Rows are made on this thread, so parsing and storing use two cores.
    insertBatch: (events, receivedMs) => writer.insertRows(events.map(eventRow), receivedMs),
    recordVisit: (request, now) => writer.visit(request, now),
    metrics: async (range, goals, options) => metrics(range, goals, options),
    exportEvents: createExportQuery(db),
    findPerson: async (ref) => people.find(ref),
    exportPerson: async (ref) => people.exportPerson(ref),
    erasePerson: (ref, now, refuseUntil) => writer.erase(ref, now, refuseUntil),
    erasedEvents: async (events, now) => people.erasedEvents(events, now),
    sweepRetention: (policy, now) => writer.sweep(policy, now),
    async ping() {
      const started = performance.now();
      try {
        select1.get();
        return { engine: 'sqlite', ok: true, latencyMs: performance.now() - started };
      } catch (error) {
        return { engine: 'sqlite', ok: false, latencyMs: performance.now() - started, error: `database file "${file}": ${(error as Error).message}` };
      }
    },
    ...(outbox ? { outbox, outboxStats: () => outboxStats(outbox) } : {}),
    poolStats: () => ({ engine: 'sqlite', total: closed ? 0 : 2, idle: closed ? 0 : 2, waiting: 0, max: 2 }),
    async close() {
      if (closed) return;
      closed = true;
      writer.close();
      if (db.open) db.close();
    },
  };
}
