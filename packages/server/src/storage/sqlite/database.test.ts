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
        (9, 'e-1', 'page', NULL, NULL, 'a1', NULL, 2000, 2000, '{}'),
        (11, 'e-4', 'track', 'Message Shown', 't:Message Shown', 'a1', 1, 3000, 3000, '{"properties":{"message_id":"m","variant_id":"bold"}}');
      UPDATE events SET message_id = 'm', kind = 0 WHERE seq = 11;
    `);
    v1.close();
    const db = openDatabase(file);
    expect(db.prepare("SELECT value FROM beckon_meta WHERE key = 'schema_version'").pluck().get()).toBe('3');
    expect(db.prepare('SELECT seq, event_id, type, person, variant_id FROM events ORDER BY seq').all()).toEqual([
      { seq: 7, event_id: 'e-2', type: 'track', person: 1, variant_id: null },
      { seq: 9, event_id: 'e-1', type: 'page', person: null, variant_id: null },
      { seq: 11, event_id: 'e-4', type: 'track', person: 1, variant_id: 'bold' },
    ]);
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL ORDER BY name").pluck().all();
    expect(indexes).toEqual(['events_by_goal', 'events_by_key', 'events_by_message', 'events_by_variant', 'events_unlinked']);
    const replay = { messageId: 'e-1', type: 'page', anonymousId: 'a1', timestamp: '2026-01-01T00:00:00Z' } as const;
    expect(createEventStore(db).insertBatch([replay, { ...replay, messageId: 'e-3' }], 0)).toEqual({ accepted: 1, duplicates: 1 });
    db.close();
  });

  it('migrates a version 2 file: message events get the variant their stored body names, other events none', () => {
    const file = join(dir, 'v2.sqlite');
    const v2 = new Database(file);
    // The version 2 schema (events found by event_key, no variant_id).
    v2.exec(`
      CREATE TABLE beckon_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      INSERT INTO beckon_meta VALUES ('schema_version', '2');
      CREATE TABLE people (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, owner INTEGER REFERENCES people (id));
      CREATE TABLE events (seq INTEGER PRIMARY KEY, event_key INTEGER NOT NULL, event_id TEXT NOT NULL, type TEXT NOT NULL, name TEXT,
        message_id TEXT, kind INTEGER, goal TEXT, anonymous_id TEXT NOT NULL, user_id TEXT, person INTEGER REFERENCES people (id),
        time_ms INTEGER, received_ms INTEGER NOT NULL, body TEXT NOT NULL);
      INSERT INTO events (event_key, event_id, type, name, message_id, kind, anonymous_id, time_ms, received_ms, body) VALUES
        (1, 's', 'track', 'Message Shown', 'm', 0, 'a1', 1, 1, '{"properties":{"message_id":"m","variant_id":"bold"}}'),
        (2, 'c', 'track', 'Message Clicked', 'm', 1, 'a1', 1, 1, '{"properties":{"message_id":"m","variant_id":"plain"}}'),
        (3, 'h', 'track', 'Message Held Out', 'm', 3, 'a1', 1, 1, '{"properties":{"message_id":"m","variant_id":"bold"}}'),
        (4, 'e', 'track', 'Message Shown', 'm', 0, 'a1', 1, 1, '{"properties":{"message_id":"m","variant_id":""}}'),
        (5, 'n', 'track', 'Message Shown', 'm', 0, 'a1', 1, 1, '{"properties":{"message_id":"m","variant_id":7}}'),
        (6, 'o', 'track', 'Signed Up', NULL, NULL, 'a1', 1, 1, '{"properties":{"variant_id":"bold"}}');
    `);
    v2.close();
    const reports: unknown[] = [];
    const db = openDatabase(file, (report) => reports.push(report));
    expect(reports).toEqual([{ from: 2, to: 3, actions: [expect.stringContaining('upgraded version 2 to 3')] }]);
    expect(db.prepare('SELECT event_id, variant_id FROM events ORDER BY seq').all()).toEqual([
      { event_id: 's', variant_id: 'bold' },
      { event_id: 'c', variant_id: 'plain' },
      { event_id: 'h', variant_id: null },
      { event_id: 'e', variant_id: null },
      { event_id: 'n', variant_id: null },
      { event_id: 'o', variant_id: null },
    ]);
    db.close();
  });
});
