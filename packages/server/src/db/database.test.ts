import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseFileError, openDatabase } from './database.js';
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
});
