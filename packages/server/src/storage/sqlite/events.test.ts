import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BeckonEvent } from '@beckon/tracking';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type BeckonDatabase } from './database.js';
import { eventRow } from '../rows.js';
import { createEventStore, type EventStore } from './events.js';

let dir: string;
let db: BeckonDatabase;
let store: EventStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'beckon-events-'));
  db = openDatabase(join(dir, 'e.sqlite'));
  store = createEventStore(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
const event = (over: Partial<BeckonEvent>): BeckonEvent =>
  ({ messageId: `e${n++}`, anonymousId: 'a1', timestamp: '2026-01-01T00:00:00Z', type: 'track', event: 'Clicked', ...over }) as BeckonEvent;

/** Each stored event's type and the key of the person it counts for. */
const people = () =>
  db.prepare('SELECT e.type, p.key FROM events e LEFT JOIN people p ON p.id = e.person ORDER BY e.seq').all() as Array<{ type: string; key: string | null }>;

describe('event store', () => {
  it('gives track and identify events a person, page and screen views none', () => {
    store.insertBatch([event({}), event({ type: 'page' }), event({ type: 'screen', name: 'Home' }), event({ type: 'identify', userId: 'u1' })], 0);
    expect(people()).toEqual([
      { type: 'track', key: 'u:u1' },
      { type: 'page', key: null },
      { type: 'screen', key: null },
      { type: 'identify', key: 'u:u1' },
    ]);
  });

  it('keeps no person from a transaction that rolled back', () => {
    // personOf inside a transaction that fails (as a failing decide would) must not leave a stale id behind.
    expect(() =>
      db.transaction(() => {
        expect(store.personOf('a1')).toBe('a:a1');
        throw new Error('rolled back');
      })(),
    ).toThrow('rolled back');
    store.insertBatch([event({})], 0);
    expect(people()).toEqual([{ type: 'track', key: 'a:a1' }]);
  });

  it('moves an anonymous history to the user of its earliest identify, and back when an earlier one arrives late', () => {
    store.insertBatch([event({}), event({ anonymousId: 'a2' })], 0);
    store.insertBatch([event({ type: 'identify', userId: 'late', timestamp: '2026-01-02T00:00:00Z' })], 0);
    expect(people().map((p) => p.key)).toEqual(['u:late', 'a:a2', 'u:late']);
    store.insertBatch([event({ type: 'identify', userId: 'early', timestamp: '2025-12-31T00:00:00Z' })], 0);
    expect(people().map((p) => p.key)).toEqual(['u:early', 'a:a2', 'u:late', 'u:early']);
    expect(store.personOf('a1')).toBe('u:early');
    expect(store.personOf('a1', 'someone')).toBe('u:someone');
  });

  it('stores two events whose ids share a key, and finds the replay of each', () => {
    // SHA-256 prefixes of two ids seldom meet; rows with a forced key stand for that case.
    const [x, y] = [eventRow(event({})), eventRow(event({}))].map((row) => ({ ...row, key: 42 }));
    expect(store.insertRows([x!, y!], 0)).toEqual({ accepted: 2, duplicates: 0 });
    expect(store.insertRows([y!, x!, { ...x!, id: 'z' }], 0)).toEqual({ accepted: 1, duplicates: 2 });
    expect(db.prepare('SELECT event_id FROM events WHERE event_key = 42 ORDER BY seq').pluck().all()).toEqual([x!.id, y!.id, 'z']);
  });
});
