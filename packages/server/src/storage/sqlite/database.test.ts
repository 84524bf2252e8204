import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseFileError } from '../errors.js';
import { openDatabase } from './database.js';
import { createEventStore } from './events.js';
import { SCHEMA_VERSION } from './schema.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'beckon-db-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function openError(file: string): DatabaseFileError {
  try {
    openDatabase(file).close();
  } catch (error) {
    if (error instanceof DatabaseFileError) return error;
    throw error;
  }
  throw new Error('opened');
}

describe('openDatabase', () => {
  it('creates the schema in WAL mode, and opens it again', () => {
    const file = join(dir, 'new.sqlite');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare("SELECT value FROM beckon_meta WHERE key = 'schema_version'").pluck().get()).toBe(String(SCHEMA_VERSION));
    db.prepare("INSERT INTO people (key) VALUES ('a:x')").run();
    db.close();
    const again = openDatabase(file);
    expect(again.prepare('SELECT key FROM people').pluck().all()).toEqual(['a:x']);
    again.close();
  });

  it('names the file and the fix for what it cannot use', () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a database at all, just some text that is long enough. '.repeat(20));
    expect(openError(text).message).toBe(`database file "${text}" is not a SQLite database: point --db at a new file or at a Beckon database`);

    const other = join(dir, 'other.sqlite');
    const foreign = new Database(other);
    foreign.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY)');
    foreign.close();
    expect(openError(other).message).toContain(`database file "${other}" belongs to another application`);

    const newer = join(dir, 'newer.sqlite');
    openDatabase(newer).close();
    const bump = new Database(newer);
    bump.prepare("UPDATE beckon_meta SET value = '99' WHERE key = 'schema_version'").run();
    bump.close();
    expect(openError(newer).message).toContain('has schema version 99, newer than this Beckon');

    const missing = join(dir, 'no', 'such', 'folder', 'b.sqlite');
    expect(openError(missing).file).toBe(missing);
    expect(openError(missing).message).toContain(`database file "${missing}"`);
  });

  it('migrates a version 1 file: every event kept, in order, and a replay of one is still a duplicate', () => {
    const file = join(dir, 'v1.sqlite');
    const v1 = new Database(file);
    // The version 1 schema, as Beckon 0.1.0 created it (events unique by their text id).
    v1.exec(`
      CREATE TABLE beckon_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      INSERT INTO beckon_meta VALUES ('schema_version', '1');
      CREATE TABLE people (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, owner INTEGER REFERENCES people (id));
      CREATE TABLE events (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, name TEXT, message_id TEXT,
        kind INTEGER, goal TEXT, anonymous_id TEXT NOT NULL, user_id TEXT, person INTEGER REFERENCES people (id), time_ms INTEGER,
        received_ms INTEGER NOT NULL, body TEXT NOT NULL);
      CREATE INDEX events_by_message ON events (message_id, kind, person, time_ms) WHERE message_id IS NOT NULL;
      CREATE INDEX events_by_goal ON events (goal, person, time_ms) WHERE goal IS NOT NULL;
      CREATE INDEX events_unlinked ON events (anonymous_id) WHERE user_id IS NULL AND person IS NOT NULL;
      CREATE TABLE identity_links (anonymous_id TEXT NOT NULL, user_id TEXT NOT NULL, time_ms INTEGER NOT NULL, seq INTEGER NOT NULL,
        PRIMARY KEY (anonymous_id, user_id)) WITHOUT ROWID;
      CREATE TABLE ledgers (person TEXT PRIMARY KEY, ledger TEXT NOT NULL, updated_ms INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO people (key) VALUES ('a:a1');
      INSERT INTO events (seq, event_id, type, name, goal, anonymous_id, person, time_ms, received_ms, body) VALUES
        (7, 'e-2', 'track', 'Signed Up', 't:Signed Up', 'a1', 1, 1000, 1000, '{}'),
        (9, 'e-1', 'page', NULL, NULL, 'a1', NULL, 2000, 2000, '{}');
    `);
    v1.close();
    const db = openDatabase(file);
    expect(db.prepare("SELECT value FROM beckon_meta WHERE key = 'schema_version'").pluck().get()).toBe('2');
    expect(db.prepare('SELECT seq, event_id, type, person FROM events ORDER BY seq').all()).toEqual([
      { seq: 7, event_id: 'e-2', type: 'track', person: 1 },
      { seq: 9, event_id: 'e-1', type: 'page', person: null },
    ]);
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL ORDER BY name").pluck().all();
    expect(indexes).toEqual(['events_by_goal', 'events_by_key', 'events_by_message', 'events_unlinked']);
    const replay = { messageId: 'e-1', type: 'page', anonymousId: 'a1', timestamp: '2026-01-01T00:00:00Z' } as const;
    expect(createEventStore(db).insertBatch([replay, { ...replay, messageId: 'e-3' }], 0)).toEqual({ accepted: 1, duplicates: 1 });
    db.close();
  });
});
