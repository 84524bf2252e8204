import type { CompiledCatalog } from '@beckon/rules';
import { openDatabase, type BeckonDatabase } from './database.js';
import { createEventStore, type EventStore } from './events.js';
import { createLedgerStore, type LedgerStore } from './ledgers.js';

/** The database and the stores over it, as the writer thread uses them. */
export interface SqliteParts {
  db: BeckonDatabase;
  events: EventStore;
  ledgers: LedgerStore;
}

/**
 * Opens the database file and prepares every store; ledgers follow the stored message events and,
 * with `catalog`, are pruned to what its frequency rules need.
 */
export function openSqliteParts(file: string, catalog?: () => CompiledCatalog): SqliteParts {
  const db = openDatabase(file);
  const ledgers = createLedgerStore(db, catalog);
  return { db, ledgers, events: createEventStore(db, ledgers.eventHooks()) };
}
