import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BeckonEvent } from '@beckon/tracking';
import type { CompiledCatalog } from '@beckon/rules';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decideFor } from '../../decide.js';
import { loadCatalog } from '../../catalog/load.js';
import type { LogEntry } from '../../log.js';
import { openDatabase, type BeckonDatabase } from './database.js';
import { eventRow } from '../rows.js';
import { startWriter } from './writer.js';

let dir: string;
let file: string;
let db: BeckonDatabase;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'beckon-writer-'));
  file = join(dir, 'w.sqlite');
  db = openDatabase(file);
});
afterEach(() => {
  if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const loaded = loadCatalog(JSON.stringify({ messages: [{ id: 'coupon', frequency: { maxShows: 1 }, layout: { type: 'modal' }, content: { title: '10% off' } }] }));
const served = () => ({ json: JSON.stringify(loaded.ok && loaded.compiled), etag: '"one"' });
let n = 0;
const shown = (anonymousId: string): BeckonEvent => ({
  type: 'track', event: 'Message Shown', messageId: `e${n++}`, anonymousId, timestamp: '2026-01-01T00:00:00Z', properties: { message_id: 'coupon' },
});

describe('startWriter', () => {
  it('stores batches on its own thread, records decide visits, and has closed its connection when close() returns', async () => {
    const logs: LogEntry[] = [];
    const writer = startWriter(file, served, (entry) => logs.push(entry));
    const batches = [[shown('a1'), shown('a1')], [shown('a2')], [shown('a1')]];
    const results = await Promise.all(batches.map((events) => writer.insertRows(events.map(eventRow), 1000)));
    expect(results).toEqual([{ accepted: 2, duplicates: 0 }, { accepted: 1, duplicates: 0 }, { accepted: 1, duplicates: 0 }]);
    expect(await writer.insertRows([eventRow(batches[1]![0]!)], 1000)).toEqual({ accepted: 0, duplicates: 1 });
    // The ledger the writer kept from those shows is what a visit reads, with this page view counted.
    expect(db.prepare("SELECT ledger FROM ledgers WHERE person = 'a:a1'").pluck().get()).toContain('coupon');
    const compiled = JSON.parse(served().json) as CompiledCatalog;
    const request = { anonymousId: 'a1', url: '/' };
    const visit = await writer.visit(request, 2000);
    expect(visit).toMatchObject({ identified: false, ledger: { session: { views: 1 } } });
    expect(decideFor(compiled, request, visit, 2000)).toMatchObject({ show: [], skipped: [{ id: 'coupon', reason: 'frequency:maxShows' }] });
    const stranger = { anonymousId: 'a9', url: '/' };
    expect(decideFor(compiled, stranger, await writer.visit(stranger, 2000), 2000)).toMatchObject({ show: [{ id: 'coupon' }], skipped: [] });
    writer.close();
    db.close();
    // Only once every connection is closed does SQLite fold the WAL into the file and remove it.
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(logs).toEqual([]);
  });

  it('rejects with the database error, message and code intact, and goes on writing', async () => {
    const writer = startWriter(file, served, () => {});
    db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.event_id = 'bad' BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    const failing = writer.insertRows([eventRow(shown('a1')), eventRow({ ...shown('a1'), messageId: 'bad' })], 1000);
    await expect(failing).rejects.toMatchObject({ message: 'refused', code: 'SQLITE_CONSTRAINT_TRIGGER' });
    expect(await writer.insertRows([eventRow(shown('a3'))], 1000)).toEqual({ accepted: 1, duplicates: 0 });
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(1);
    writer.close();
  });

  it('prunes ledgers with the catalog of the moment: a new one (new ETag) reaches the writer before the next request', async () => {
    let current = served();
    const writer = startWriter(file, () => current, () => {});
    await writer.insertRows([eventRow(shown('a1'))], 1000);
    expect((await writer.visit({ anonymousId: 'a1', url: '/' }, 2000)).ledger.messages).toHaveProperty('coupon');
    const empty = loadCatalog('{"messages":[]}');
    current = { json: JSON.stringify(empty.ok && empty.compiled), etag: '"two"' };
    await writer.visit({ anonymousId: 'a1', url: '/' }, 3000);
    expect(db.prepare("SELECT ledger FROM ledgers WHERE person = 'a:a1'").pluck().get()).not.toContain('coupon');
    writer.close();
  });
});
