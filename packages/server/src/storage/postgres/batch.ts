// POST /v1/batch on PostgreSQL: each event stored once whichever process gets it (event_ids decides),
// its person resolved under the visitor's advisory lock, identity links and ledgers in the same transaction.
import { emptyLedger, mergeLedgers, type CompiledCatalog, type Ledger } from '@beckon/rules';
import type { CollectedEvent } from '@beckon/tracking';
import type { BatchResult } from '../contract.js';
import { anonymousPerson, eventRow, linksIdentity, needsPerson, userPerson, type EventRow } from '../rows.js';
import { lockPeople, readLedgers, recordEvent, writeLedgers } from './ledgers.js';
import { queueForForwarding } from './outbox.js';
import type { PartitionKeeper } from './partitions.js';
import { transaction, type Client, type Pool } from './pool.js';

/** An anonymousId's earliest identify: the user it belongs to. `order` breaks ties of time (arrival). */
interface Link {
  user: string;
  time: number;
  order: number;
}

const earlier = (a: Link, b: Link | undefined): boolean => b === undefined || a.time < b.time || (a.time === b.time && a.order < b.order);

/** The earliest link of each anonymousId, as stored before this transaction. */
async function storedOwners(client: Client, anonymousIds: readonly string[]): Promise<Map<string, Link>> {
  const owners = new Map<string, Link>();
  if (anonymousIds.length === 0) return owners;
  const { rows } = await client.query<{ anonymous_id: string; user_id: string; time_ms: number; seq: number }>(
    `SELECT DISTINCT ON (anonymous_id) anonymous_id, user_id, time_ms, seq FROM identity_links
     WHERE anonymous_id = ANY($1::text[]) ORDER BY anonymous_id, time_ms, seq`,
    [anonymousIds],
  );
  // Stored links came first: their order is below any of this batch's (which are 0, 1, 2, ...).
  for (const row of rows) owners.set(row.anonymous_id, { user: row.user_id, time: row.time_ms, order: row.seq - Number.MAX_SAFE_INTEGER });
  return owners;
}

const INSERT_EVENTS = `
  INSERT INTO events (event_id, type, name, message_id, kind, variant_id, goal, anonymous_id, user_id, person, time_ms, received_ms, body)
  SELECT id, type, name, message, kind, variant, goal, anonymous_id, user_id, person, time_ms, $13, body
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::smallint[], $6::text[], $7::text[], $8::text[], $9::text[],
              $10::bigint[], $11::text[], $12::int[], $14::text[])
    AS u(id, type, name, message, kind, goal, anonymous_id, user_id, person, time_ms, body, ord, variant)
  ORDER BY ord
  RETURNING event_id, seq`;

/** Stores rows already known to be new (their ids just claimed in event_ids), with people, links and ledgers. */
async function storeFresh(client: Client, rows: readonly EventRow[], receivedMs: number, catalog: CompiledCatalog | undefined): Promise<void> {
  // Identify and alias link an anonymousId (an alias's previousId) to a user.
  const linking = rows.filter((row) => linksIdentity(row) && row.time !== null);
  const visitors = rows.filter((row) => needsPerson(row) || linksIdentity(row));
  // Every visitor of the batch is locked before their links are read: an identify and an anonymous
  // event of the same visitor on two processes are stored one after the other, never both blind.
  await lockPeople(client, visitors.flatMap((row) => [anonymousPerson(row.anonymousId), ...(row.userId ? [userPerson(row.userId)] : [])]));
  const before = await storedOwners(client, [...new Set(visitors.map((row) => row.anonymousId))]);
  const owners = new Map(before);
  linking.forEach((row, index) => {
    const link = { user: row.userId!, time: row.time!, order: index };
    if (earlier(link, owners.get(row.anonymousId))) owners.set(row.anonymousId, link);
  });
  const personOf = (row: EventRow): string | null => {
    if (!needsPerson(row)) return null;
    if (row.userId) return userPerson(row.userId);
    const owner = owners.get(row.anonymousId);
    return owner ? userPerson(owner.user) : anonymousPerson(row.anonymousId);
  };
  const persons = rows.map(personOf);

  // Ledgers this batch changes: message events' people, and users whose anonymous history joins them.
  const relinked = [...owners].filter(([anonymousId, link]) => before.get(anonymousId)?.user !== link.user);
  const firstLinks = relinked.filter(([anonymousId]) => !before.has(anonymousId));
  const messagePeople = rows.flatMap((row, i) => (row.ledger && row.time !== null ? [persons[i]!] : []));
  const ledgerPeople = [...new Set([...messagePeople, ...firstLinks.flatMap(([anonymousId, link]) => [userPerson(link.user), anonymousPerson(anonymousId)])])];
  // Owners found above may be users this batch did not name: their ledgers are locked too.
  await lockPeople(client, ledgerPeople.filter((person) => person.startsWith('u:')));

  const column = <T>(pick: (row: EventRow, i: number) => T): T[] => rows.map(pick);
  const inserted = await client.query<{ event_id: string; seq: number }>(INSERT_EVENTS, [
    column((r) => r.id), column((r) => r.type), column((r) => r.name), column((r) => r.message), column((r) => r.kind),
    column((r) => r.goal), column((r) => r.anonymousId), column((r) => r.userId), persons, column((r) => r.time),
    column((r) => r.body), column((_r, i) => i), receivedMs, column((r) => r.variant),
  ]);
  const seqOf = new Map(inserted.rows.map((row) => [row.event_id, row.seq]));

  // identity_links keeps, per pair, the earliest identify (the upsert cannot touch a row twice: reduce first).
  const pairs = new Map<string, { anonymousId: string; userId: string; time: number; seq: number }>();
  for (const row of linking) {
    const key = `${row.anonymousId}\u0000${row.userId}`;
    const seq = seqOf.get(row.id)!;
    const kept = pairs.get(key);
    if (!kept || row.time! < kept.time) pairs.set(key, { anonymousId: row.anonymousId, userId: row.userId!, time: row.time!, seq });
  }
  if (pairs.size > 0) {
    const links = [...pairs.values()];
    await client.query(
      `INSERT INTO identity_links (anonymous_id, user_id, time_ms, seq)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[])
       ON CONFLICT (anonymous_id, user_id) DO UPDATE SET time_ms = excluded.time_ms, seq = excluded.seq
       WHERE excluded.time_ms < identity_links.time_ms`,
      [links.map((l) => l.anonymousId), links.map((l) => l.userId), links.map((l) => l.time), links.map((l) => l.seq)],
    );
  }
  if (relinked.length > 0) {
    // Stored anonymous events of a newly linked (or re-linked) visitor now count for their user.
    await client.query(
      `UPDATE events e SET person = u.person FROM unnest($1::text[], $2::text[]) AS u(anonymous_id, person)
       WHERE e.anonymous_id = u.anonymous_id AND e.user_id IS NULL AND e.person IS NOT NULL AND e.person <> u.person`,
      [relinked.map(([anonymousId]) => anonymousId), relinked.map(([, link]) => userPerson(link.user))],
    );
  }

  if (ledgerPeople.length === 0) return;
  const stored = await readLedgers(client, ledgerPeople);
  const changed = new Map<string, Ledger>();
  const current = (person: string) => changed.get(person) ?? stored.get(person) ?? emptyLedger();
  const removed: string[] = [];
  // A first identify brings the anonymous ledger into the user's; a re-link between users leaves both alone.
  for (const [anonymousId, link] of firstLinks) {
    const from = anonymousPerson(anonymousId);
    changed.set(userPerson(link.user), mergeLedgers(current(userPerson(link.user)), current(from)));
    changed.delete(from);
    removed.push(from);
  }
  rows.forEach((row, i) => {
    if (!row.ledger || row.time === null) return;
    const person = persons[i]!;
    changed.set(person, recordEvent(current(person), row.message!, row.ledger, row.time, row.id));
  });
  await writeLedgers(client, changed, removed.filter((person) => !changed.has(person)), receivedMs, catalog);
}

/** Stores batches on PostgreSQL; new events are queued for `destinations` in the same transaction. */
export function createBatchStore(
  pool: Pool,
  partitions: PartitionKeeper,
  catalog: () => CompiledCatalog | undefined,
  destinations: readonly string[] = [],
) {
  return async function insertBatch(events: readonly CollectedEvent[], receivedMs: number): Promise<BatchResult> {
    const byId = new Map<string, EventRow>();
    for (const event of events) if (!byId.has(event.messageId)) byId.set(event.messageId, eventRow(event));
    const unique = [...byId.values()];
    await partitions.ensure(unique.map((row) => row.time));
    return transaction(pool, async (client) => {
      // Claiming the ids is what makes an event new: a replay on another process waits for this
      // transaction, then finds them taken. Sorted, so two overlapping batches claim in one order.
      const claimed = await client.query<{ event_id: string }>(
        `INSERT INTO event_ids (event_id, time_ms, received_ms) SELECT id, t, $3 FROM unnest($1::text[], $2::bigint[]) AS u(id, t)
         ORDER BY id ON CONFLICT DO NOTHING RETURNING event_id`,
        [unique.map((row) => row.id), unique.map((row) => row.time), receivedMs],
      );
      const fresh = new Set(claimed.rows.map((row) => row.event_id));
      const rows = unique.filter((row) => fresh.has(row.id));
      if (rows.length > 0) await storeFresh(client, rows, receivedMs, catalog());
      await queueForForwarding(client, rows, receivedMs, destinations);
      return { accepted: rows.length, duplicates: events.length - rows.length };
    });
  };
}
