// Erasure and access on SQLite: finding one person (a user with every linked anonymous id, or an
// unlinked anonymous id), reading everything stored about them, deleting it, and the erasure records
// that refuse their late events. Reads run on the calling thread; erasure on the writer thread.
import type { CollectedEvent } from '@beckon/tracking';
import { readStoredLedger } from '../stored-ledger.js';
import {
  ERASURE_SECRET_KEY,
  distinctKeys,
  erasureHash,
  newErasureSecret,
  personKeys,
  refusedIds,
  storedEvent,
  type ErasureReport,
  type Person,
  type PersonExport,
  type PersonRef,
} from '../people.js';
import type { BeckonDatabase } from './database.js';

/**
 * The erasure records: a keyed hash of each erased person key (never the id itself) and until when
 * their events are refused. Created on every open (idempotent), beside the versioned schema.
 */
export const PEOPLE_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS erasures (
  hash      TEXT PRIMARY KEY,        -- HMAC-SHA256 of 'u:' || userId or 'a:' || anonymousId, keyed by beckon_meta.erasure_secret
  erased_ms INTEGER NOT NULL,
  until_ms  INTEGER NOT NULL         -- events of this person arriving before then are refused
) WITHOUT ROWID;
`;

/** Creates the erasure table and the database's erasure secret when missing (inside the opening transaction). */
export function preparePeopleSchema(db: BeckonDatabase): void {
  db.exec(PEOPLE_SCHEMA_SQL);
  db.prepare('INSERT INTO beckon_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING').run(ERASURE_SECRET_KEY, newErasureSecret());
}

/** The database's erasure secret (made by preparePeopleSchema). */
const secretOf = (db: BeckonDatabase): string =>
  db.prepare('SELECT value FROM beckon_meta WHERE key = ?').pluck().get(ERASURE_SECRET_KEY) as string;

/** The SQL condition (and its parameters) of a person's events: their user's, and their anonymous ids' while unidentified. */
function eventsOf(person: Person): { where: string; params: unknown[] } {
  const ids = JSON.stringify(person.anonymousIds);
  if (person.userId === null) return { where: 'user_id IS NULL AND anonymous_id IN (SELECT value FROM json_each(?))', params: [ids] };
  return { where: 'user_id = ? OR (user_id IS NULL AND anonymous_id IN (SELECT value FROM json_each(?)))', params: [person.userId, ids] };
}

/** Finds people and what is stored of them, over an open database. */
export function createPeopleStore(db: BeckonDatabase) {
  const secret = secretOf(db);
  const hash = (key: string) => erasureHash(secret, key);
  const earliestUser = db.prepare('SELECT user_id FROM identity_links WHERE anonymous_id = ? ORDER BY time_ms, seq LIMIT 1').pluck();
  const linkedTo = db.prepare('SELECT anonymous_id FROM identity_links WHERE user_id = ? ORDER BY anonymous_id').pluck();
  const known = db.prepare(`SELECT EXISTS (SELECT 1 FROM people WHERE key = @key) OR EXISTS (SELECT 1 FROM ledgers WHERE person = @key)`).pluck();
  const userEvent = db.prepare('SELECT 1 FROM events WHERE user_id = ? LIMIT 1').pluck();
  const anonymousEvent = db.prepare('SELECT 1 FROM events WHERE anonymous_id = ? AND user_id IS NULL LIMIT 1').pluck();
  const anyErasure = db.prepare('SELECT 1 FROM erasures LIMIT 1').pluck();
  const erasedAmong = db.prepare('SELECT hash FROM erasures WHERE hash IN (SELECT value FROM json_each(?)) AND until_ms > ?').pluck();

  /** The person `ref` names, or null when nothing is stored of them. */
  function find(ref: PersonRef): Person | null {
    if ('anonymousId' in ref) {
      const owner = earliestUser.get(ref.anonymousId) as string | undefined;
      if (owner !== undefined) return find({ userId: owner });
      const found = known.get({ key: `a:${ref.anonymousId}` }) === 1 || anonymousEvent.get(ref.anonymousId) !== undefined;
      return found ? { userId: null, anonymousIds: [ref.anonymousId] } : null;
    }
    const anonymousIds = linkedTo.all(ref.userId) as string[];
    const found = anonymousIds.length > 0 || known.get({ key: `u:${ref.userId}` }) === 1 || userEvent.get(ref.userId) !== undefined;
    return found ? { userId: ref.userId, anonymousIds } : null;
  }

  function exportPerson(ref: PersonRef): PersonExport | null {
    return db.transaction((): PersonExport | null => {
      const person = find(ref);
      if (!person) return null;
      const { where, params } = eventsOf(person);
      const events = db.prepare(`SELECT body, received_ms FROM events WHERE ${where} ORDER BY time_ms, seq`).all(...params) as Array<{ body: string; received_ms: number }>;
      const links = db
        .prepare(`SELECT anonymous_id, user_id, time_ms FROM identity_links WHERE user_id = ? OR anonymous_id IN (SELECT value FROM json_each(?)) ORDER BY time_ms, seq`)
        .all(person.userId, JSON.stringify(person.anonymousIds)) as Array<{ anonymous_id: string; user_id: string; time_ms: number }>;
      const ledgers = db
        .prepare('SELECT person, ledger FROM ledgers WHERE person IN (SELECT value FROM json_each(?)) ORDER BY person')
        .all(JSON.stringify(personKeys(person))) as Array<{ person: string; ledger: string }>;
      return {
        ...person,
        events: events.map((row) => storedEvent(row.body, row.received_ms)),
        identityLinks: links.map((row) => ({ anonymousId: row.anonymous_id, userId: row.user_id, since: new Date(row.time_ms).toISOString() })),
        ledgers: Object.fromEntries(ledgers.map((row) => [row.person, readStoredLedger(row.ledger)])),
      };
    })();
  }

  /** The ids of `events` whose person is erased (with a record still in force at `now`). */
  function erasedEvents(events: readonly CollectedEvent[], now: number): Set<string> {
    // No erasure at all (the usual case): nothing to hash.
    if (anyErasure.get() === undefined) return new Set();
    const keys = distinctKeys(events);
    const erased = new Set(erasedAmong.all(JSON.stringify(keys.map(hash)), now) as string[]);
    return erased.size === 0 ? erased : refusedIds(events, hash, erased);
  }

  /**
   * Deletes every event, identity link, ledger and people row of the person `ref` names and records
   * their keyed hashes until `refuseUntil`, in one transaction; null (nothing deleted) when nothing is stored of them.
   */
  const erase = db.transaction((ref: PersonRef, now: number, refuseUntil: number): ErasureReport | null => {
    const person = find(ref);
    if (!person) return null;
    const { where, params } = eventsOf(person);
    const keys = JSON.stringify(personKeys(person));
    const events = db.prepare(`DELETE FROM events WHERE ${where}`).run(...params).changes;
    // Their events waiting to be forwarded go too: nothing of an erased person leaves after the erasure.
    db.prepare(`DELETE FROM outbox WHERE ${where}`).run(...params);
    const identityLinks = db
      .prepare('DELETE FROM identity_links WHERE user_id = ? OR anonymous_id IN (SELECT value FROM json_each(?))')
      .run(person.userId, JSON.stringify(person.anonymousIds)).changes;
    const ledgers = db.prepare('DELETE FROM ledgers WHERE person IN (SELECT value FROM json_each(?))').run(keys).changes;
    db.prepare('DELETE FROM people WHERE key IN (SELECT value FROM json_each(?))').run(keys);
    const record = db.prepare(`
      INSERT INTO erasures (hash, erased_ms, until_ms) VALUES (?, ?, ?)
      ON CONFLICT (hash) DO UPDATE SET erased_ms = excluded.erased_ms, until_ms = MAX(until_ms, excluded.until_ms)`);
    for (const key of personKeys(person)) record.run(hash(key), now, refuseUntil);
    return { ...person, deleted: { events, identityLinks, ledgers }, refusedUntil: refuseUntil };
  });

  return {
    find: (ref: PersonRef) => db.transaction(() => find(ref))(),
    exportPerson,
    erasedEvents,
    // IMMEDIATE: no other writer between finding the person and deleting them.
    erase: (ref: PersonRef, now: number, refuseUntil: number) => erase.immediate(ref, now, refuseUntil),
  };
}

export type PeopleStore = ReturnType<typeof createPeopleStore>;
