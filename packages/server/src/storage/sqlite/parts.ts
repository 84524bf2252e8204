import type { CompiledCatalog } from '@beckon/rules';
import { openDatabase, type BeckonDatabase } from './database.js';
import { createEventStore, type EventStore } from './events.js';
import { createLedgerStore, type LedgerStore } from './ledgers.js';
import { createOutboxWriter, type OutboxWriter } from './outbox.js';

/** The database and the stores over it, as the writer thread uses them. */
export interface SqliteParts {
  db: BeckonDatabase;
  events: EventStore;
  ledgers: LedgerStore;
  outbox: OutboxWriter;
}

/**
 * Opens the database file and prepares every store; ledgers follow the stored message events and,
 * with `catalog`, are pruned to what its frequency rules need; new events are queued for `destinations`.
 */
export function openSqliteParts(file: string, catalog?: () => CompiledCatalog, destinations: readonly string[] = []): SqliteParts {
  const db = openDatabase(file);
  const ledgers = createLedgerStore(db, catalog);
  const outbox = createOutboxWriter(db, destinations);
  const hooks = ledgers.eventHooks();
  // Every new event is queued for forwarding in the transaction that stores it.
  const events = createEventStore(db, destinations.length === 0 ? hooks : { ...hooks, eventStored: outbox.queue });
  return { db, ledgers, outbox, events };
}
