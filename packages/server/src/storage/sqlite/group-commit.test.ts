import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type BeckonDatabase } from './database.js';
import { groupCommit } from './group-commit.js';

let dir: string;
let db: BeckonDatabase;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'beckon-group-'));
  db = openDatabase(join(dir, 'g.sqlite'));
  db.exec('CREATE TABLE t (v TEXT NOT NULL)');
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('groupCommit', () => {
  it('writes calls of the same turn in one transaction, each all or nothing', async () => {
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    // Another connection sees only committed rows: what it sees during the calls shows the grouping.
    const other = new Database(join(dir, 'g.sqlite'), { readonly: true });
    const committed = other.prepare('SELECT count(*) FROM t').pluck();
    const seenByOthers: number[] = [];
    const write = groupCommit(db, (values: string[]) => {
      seenByOthers.push(committed.get() as number);
      for (const v of values) {
        if (v === 'bad') throw new Error('bad value');
        insert.run(v);
      }
      return values.length;
    });
    const results = await Promise.allSettled([write(['a', 'b']), write(['c', 'bad', 'd']), write(['e'])]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('bad value');
    expect((results[0] as PromiseFulfilledResult<number>).value).toBe(2);
    expect(seenByOthers).toEqual([0, 0, 0]);
    expect(committed.get()).toBe(3);
    expect(db.prepare('SELECT v FROM t ORDER BY rowid').pluck().all()).toEqual(['a', 'b', 'e']);
    other.close();
  });

  it('starts a new group for calls after the commit, which sees the first group committed', async () => {
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const other = new Database(join(dir, 'g.sqlite'), { readonly: true });
    const committed = other.prepare('SELECT count(*) FROM t').pluck();
    const seenByOthers: Array<[string, number]> = [];
    const write = groupCommit(db, (v: string) => {
      seenByOthers.push([v, committed.get() as number]);
      insert.run(v);
      return v;
    });
    expect(await Promise.all([write('a'), write('b')])).toEqual(['a', 'b']);
    expect(await write('c')).toBe('c');
    // a and b shared a transaction (neither saw the other committed); c ran in a new one, after their commit.
    expect(seenByOthers).toEqual([['a', 0], ['b', 0], ['c', 2]]);
    expect(db.prepare('SELECT v FROM t ORDER BY rowid').pluck().all()).toEqual(['a', 'b', 'c']);
    other.close();
  });
});
