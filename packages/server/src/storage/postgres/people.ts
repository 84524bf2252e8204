// Erasure and access on PostgreSQL: the same person, export and erasure as the SQLite engine's, with
// the person's advisory locks held while they are erased, so a batch or decide of theirs on any process
// runs before or after it, never half-way.
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
import { lockPeople } from './ledgers.js';
import { transaction, type Client, type Pool } from './pool.js';

/**
 * The erasure records (a keyed hash of each erased person key, never the id) and an index that lets the
 * sweep delete event ids by time. Idempotent; run on every start, beside the versioned schema.
 */
const PEOPLE_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS erasures (
  hash      text COLLATE "C" PRIMARY KEY,  -- HMAC-SHA256 of 'u:' || userId or 'a:' || anonymousId, keyed by beckon_meta.erasure_secret
  erased_ms bigint NOT NULL,
  until_ms  bigint NOT NULL                -- events of this person arriving before then are refused
);
CREATE INDEX IF NOT EXISTS event_ids_by_time ON event_ids (time_ms);
`;

/** Held while the people schema is made, so processes starting at once do it one after the other. */
const PEOPLE_SCHEMA_LOCK = 'beckon:migrate';

/** Creates the erasure table and secret when missing; resolves with the secret. */
export async function preparePeopleSchema(pool: Pool): Promise<string> {
  return transaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [PEOPLE_SCHEMA_LOCK]);
    await client.query(PEOPLE_SCHEMA_SQL);
    await client.query('INSERT INTO beckon_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [ERASURE_SECRET_KEY, newErasureSecret()]);
    const { rows } = await client.query<{ value: string }>('SELECT value FROM beckon_meta WHERE key = $1', [ERASURE_SECRET_KEY]);
    return rows[0]!.value;
  });
}

/** The SQL condition of a person's events ($1 user id or null, $2 anonymous ids): their user's, and their anonymous ids' while unidentified. */
const EVENTS_OF = `(user_id = $1 OR (user_id IS NULL AND anonymous_id = ANY($2::text[])))`;
const LINKS_OF = `(user_id = $1 OR anonymous_id = ANY($2::text[]))`;

async function find(client: Client, ref: PersonRef): Promise<Person | null> {
  if ('anonymousId' in ref) {
    const owner = await client.query<{ user_id: string }>(
      'SELECT user_id FROM identity_links WHERE anonymous_id = $1 ORDER BY time_ms, seq LIMIT 1',
      [ref.anonymousId],
    );
    if (owner.rows[0]) return find(client, { userId: owner.rows[0].user_id });
    const { rows } = await client.query(
      `SELECT 1 WHERE EXISTS (SELECT 1 FROM ledgers WHERE person = $1)
         OR EXISTS (SELECT 1 FROM events WHERE anonymous_id = $2 AND user_id IS NULL)`,
      [`a:${ref.anonymousId}`, ref.anonymousId],
    );
    return rows.length > 0 ? { userId: null, anonymousIds: [ref.anonymousId] } : null;
  }
  const linked = await client.query<{ anonymous_id: string }>('SELECT anonymous_id FROM identity_links WHERE user_id = $1 ORDER BY anonymous_id', [ref.userId]);
  const anonymousIds = linked.rows.map((row) => row.anonymous_id);
  if (anonymousIds.length > 0) return { userId: ref.userId, anonymousIds };
  const { rows } = await client.query(
    'SELECT 1 WHERE EXISTS (SELECT 1 FROM ledgers WHERE person = $1) OR EXISTS (SELECT 1 FROM events WHERE user_id = $2)',
    [`u:${ref.userId}`, ref.userId],
  );
  return rows.length > 0 ? { userId: ref.userId, anonymousIds } : null;
}

/** Erasure and access over the pool; `secret` resolves with the database's erasure secret. */
export function createPeopleStore(pool: Pool, secret: () => Promise<string>) {
  const readOnly = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';

  async function exportPerson(ref: PersonRef): Promise<PersonExport | null> {
    return transaction(
      pool,
      async (client) => {
        const person = await find(client, ref);
        if (!person) return null;
        const params = [person.userId, person.anonymousIds];
        const events = await client.query<{ body: string; received_ms: number }>(
          `SELECT body, received_ms FROM events WHERE ${EVENTS_OF} ORDER BY time_ms, seq`,
          params,
        );
        const links = await client.query<{ anonymous_id: string; user_id: string; time_ms: number }>(
          `SELECT anonymous_id, user_id, time_ms FROM identity_links WHERE ${LINKS_OF} ORDER BY time_ms, seq`,
          params,
        );
        const ledgers = await client.query<{ person: string; ledger: string }>(
          'SELECT person, ledger FROM ledgers WHERE person = ANY($1::text[]) ORDER BY person',
          [personKeys(person)],
        );
        return {
          ...person,
          events: events.rows.map((row) => storedEvent(row.body, row.received_ms)),
          identityLinks: links.rows.map((row) => ({ anonymousId: row.anonymous_id, userId: row.user_id, since: new Date(row.time_ms).toISOString() })),
          ledgers: Object.fromEntries(ledgers.rows.map((row) => [row.person, readStoredLedger(row.ledger)])),
        };
      },
      readOnly,
    );
  }

  async function erase(ref: PersonRef, now: number, refuseUntil: number): Promise<ErasureReport | null> {
    const key = await secret();
    return transaction(pool, async (client) => {
      // Found once to know whom to lock, then again under the locks: a link made in between is erased too.
      const first = await find(client, ref);
      if (!first) return null;
      await lockPeople(client, personKeys(first));
      const person = (await find(client, ref))!;
      await lockPeople(client, personKeys(person));
      const params = [person.userId, person.anonymousIds];
      const events = await client.query<{ event_id: string }>(`DELETE FROM events WHERE ${EVENTS_OF} RETURNING event_id`, params);
      // Their events waiting to be forwarded go too: nothing of an erased person leaves after the erasure.
      await client.query(`DELETE FROM outbox WHERE ${EVENTS_OF}`, params);
      // Their ids go too: a replay of an erased event is refused by the erasure record, not as a duplicate.
      await client.query('DELETE FROM event_ids WHERE event_id = ANY($1::text[])', [events.rows.map((row) => row.event_id)]);
      const links = await client.query(`DELETE FROM identity_links WHERE ${LINKS_OF}`, params);
      const ledgers = await client.query('DELETE FROM ledgers WHERE person = ANY($1::text[])', [personKeys(person)]);
      await client.query(
        `INSERT INTO erasures (hash, erased_ms, until_ms) SELECT h, $2, $3 FROM unnest($1::text[]) AS h
         ON CONFLICT (hash) DO UPDATE SET erased_ms = excluded.erased_ms, until_ms = GREATEST(erasures.until_ms, excluded.until_ms)`,
        [personKeys(person).map((k) => erasureHash(key, k)), now, refuseUntil],
      );
      return {
        ...person,
        deleted: { events: events.rowCount ?? 0, identityLinks: links.rowCount ?? 0, ledgers: ledgers.rowCount ?? 0 },
        refusedUntil: refuseUntil,
      };
    });
  }

  async function erasedEvents(events: readonly CollectedEvent[], now: number): Promise<Set<string>> {
    const key = await secret();
    const hash = (personKey: string) => erasureHash(key, personKey);
    const { rows } = await pool.query<{ hash: string }>('SELECT hash FROM erasures WHERE hash = ANY($1::text[]) AND until_ms > $2', [
      distinctKeys(events).map(hash),
      now,
    ]);
    return rows.length === 0 ? new Set() : refusedIds(events, hash, new Set(rows.map((row) => row.hash)));
  }

  return {
    find: (ref: PersonRef) => transaction(pool, (client) => find(client, ref), readOnly),
    exportPerson,
    erase,
    erasedEvents,
  };
}
