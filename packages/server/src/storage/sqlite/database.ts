import Database from 'better-sqlite3';
import type { MigrationReport } from '../contract.js';
import { DatabaseFileError } from '../errors.js';
import { eventKey } from '../rows.js';
import { preparePeopleSchema } from './people.js';
import { OUTBOX_SQL } from './outbox.js';
import { FILL_VARIANTS, MIGRATE_1_TO_2, MIGRATE_2_TO_3, SCHEMA_SQL, SCHEMA_VERSION } from './schema.js';

/** An open Beckon database (a better-sqlite3 connection); internal to this engine, never in public types. */
export type BeckonDatabase = Database.Database;

/** How long start-up waits for another process's lock before giving up. */
const LOCK_WAIT_MS = 2_000;

function explain(file: string, error: unknown): DatabaseFileError {
  const code = (error as { code?: string }).code ?? '';
  const detail = (error as Error).message;
  const say = (message: string) => new DatabaseFileError(file, message, { cause: error });
  if (code === 'SQLITE_NOTADB') return say(`database file "${file}" is not a SQLite database: point --db at a new file or at a Beckon database`);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return say(`database file "${file}" is locked by another process (waited ${LOCK_WAIT_MS / 1000} s): stop that process or use another --db file`);
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') {
    return say(`database file "${file}" is read-only: Beckon must write to it and create "${file}-wal" and "${file}-shm" beside it (${detail})`);
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return say(`database file "${file}" cannot be opened: check that its folder exists and is writable (${detail})`);
  }
  if (code === 'SQLITE_CORRUPT') return say(`database file "${file}" is corrupt: restore it from a backup or start a new file`);
  if (error instanceof DatabaseFileError) return error;
  return say(`database file "${file}" cannot be used: ${detail}`);
}

function migrate(db: BeckonDatabase, file: string): MigrationReport {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
  if (tables.length > 0 && !tables.includes('beckon_meta')) {
    throw new DatabaseFileError(file, `database file "${file}" belongs to another application (it has tables but no beckon_meta): use another --db file`);
  }
  const version = tables.includes('beckon_meta')
    ? (db.prepare("SELECT value FROM beckon_meta WHERE key = 'schema_version'").pluck().get() as string | undefined)
    : undefined;
  if (version !== undefined && Number(version) > SCHEMA_VERSION) {
    throw new DatabaseFileError(file, `database file "${file}" has schema version ${version}, newer than this Beckon (${SCHEMA_VERSION}): upgrade @beckon/server`);
  }
  const actions: string[] = [];
  if (version === '1') {
    db.function('beckon_event_key', { deterministic: true }, (id) => eventKey(String(id)));
    db.exec(MIGRATE_1_TO_2);
    actions.push('upgraded version 1 to 2: events are found by a 48-bit key of their id (the events table was copied once)');
  }
  if (version === '1' || version === '2') {
    // The copy made from version 1 already has the column.
    if (version === '2') db.exec(MIGRATE_2_TO_3);
    db.exec(FILL_VARIANTS);
    actions.push('upgraded version 2 to 3: message events name their variant (variant_id, filled from the stored events)');
  }
  if (version === undefined) actions.push(`created the schema, version ${SCHEMA_VERSION} (tables beckon_meta, people, events, identity_links, ledgers)`);
  db.exec(SCHEMA_SQL);
  // Erasure records and their secret: tables of their own, created beside the versioned schema.
  preparePeopleSchema(db);
  db.exec(OUTBOX_SQL);
  // A write on every start proves the file is writable now, not at the first event.
  db.prepare("INSERT INTO beckon_meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(SCHEMA_VERSION));
  return { from: version === undefined ? null : Number(version), to: SCHEMA_VERSION, actions };
}

/**
 * Opens (creating if needed) the SQLite database at `file` in WAL mode and brings its schema up to
 * date. Throws a DatabaseFileError naming the file when it is locked, read-only, not a SQLite
 * database, or another application's.
 */
export function openDatabase(file: string, onMigrated?: (report: MigrationReport) => void): BeckonDatabase {
  let db: BeckonDatabase;
  try {
    db = new Database(file, { timeout: LOCK_WAIT_MS });
  } catch (error) {
    throw explain(file, error);
  }
  try {
    const mode = db.pragma('journal_mode = WAL', { simple: true }) as string;
    if (mode !== 'wal' && mode !== 'memory') {
      throw new DatabaseFileError(file, `database file "${file}" is read-only: it could not switch to WAL mode (journal mode stays "${mode}")`);
    }
    // WAL + NORMAL: a process crash loses nothing; a power cut may lose the last transactions.
    db.pragma('synchronous = NORMAL');
    // Index pages of a million events stay in memory: inserts and metrics avoid re-reading them.
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY');
    // Checkpoint every ~40 MB of WAL instead of 4 MB: a page written by many commits is copied back once.
    db.pragma('wal_autocheckpoint = 10000');
    db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    const report = db.transaction(() => migrate(db, file)).immediate();
    onMigrated?.(report);
    db.pragma(`busy_timeout = ${LOCK_WAIT_MS}`);
    return db;
  } catch (error) {
    db.close();
    throw explain(file, error);
  }
}
