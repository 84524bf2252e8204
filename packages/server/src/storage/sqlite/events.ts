import type { CollectedEvent } from '@beckon/tracking';
import type { BatchResult } from '../contract.js';
import { anonymousPerson, eventRow, linksIdentity, needsPerson, userPerson, type EventRow, type LedgerEntryKind } from '../rows.js';
import type { BeckonDatabase } from './database.js';

/** Work that must happen in the same transaction as storing events (the decide ledgers). */
export interface EventHooks {
  /** A new Message Shown / Clicked / Dismissed event (id `eventId`) of `person` at `at` (epoch ms). */
  messageEvent(person: string, messageId: string, kind: LedgerEntryKind, at: number, eventId: string): void;
  /** The anonymous person `from` is now the user person `to`. */
  personLinked(from: string, to: string): void;
  /** A new event was stored (not a replay); called inside its batch's transaction. */
  eventStored?(row: EventRow, receivedMs: number): void;
  /** The batch (received at `receivedMs`) is stored; called inside its transaction. */
  batchDone(receivedMs: number): void;
  /** The batch's transaction was rolled back. */
  batchFailed(): void;
}

/** Stores events once each and keeps the anonymousId → userId links. */
export interface EventStore {
  /** Stores a batch in one transaction: all of it, or (on any error) nothing. */
  insertBatch(events: readonly CollectedEvent[], receivedMs: number): BatchResult;
  /** The same for events already turned into rows (by `eventRow`, possibly on another thread). */
  insertRows(rows: readonly EventRow[], receivedMs: number): BatchResult;
  /**
   * insertRows inside the caller's transaction, for a caller that makes it all or nothing itself
   * (group commit runs each call in a savepoint): one savepoint less per batch.
   */
  writeRows(rows: readonly EventRow[], receivedMs: number): BatchResult;
  /** The person key of a visitor: `u:<userId>`, the user linked to the anonymousId, or `a:<anonymousId>`. */
  personOf(anonymousId: string, userId?: string): string;
}

/** Prepares the statements of the event store over an open database. */
export function createEventStore(db: BeckonDatabase, hooks?: EventHooks): EventStore {
  // An event is stored unless one with its id is: the key finds the few candidates, the id decides.
  const stored = db.prepare('SELECT 1 FROM events WHERE event_key = ? AND event_id = ?').pluck();
  const insert = db.prepare(`
    INSERT INTO events (event_key, event_id, type, name, message_id, kind, variant_id, goal, anonymous_id, user_id, person, time_ms, received_ms, body)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  // A person by key, with the user it belongs to once its anonymousId is linked.
  const findPerson = db.prepare('SELECT p.id, o.id AS ownerId, o.key AS ownerKey FROM people p LEFT JOIN people o ON o.id = p.owner WHERE p.key = ?');
  const addPerson = db.prepare('INSERT INTO people (key) VALUES (?)');
  const setOwner = db.prepare('UPDATE people SET owner = ? WHERE id = ?');
  const earliestLink = db
    .prepare('SELECT user_id FROM identity_links WHERE anonymous_id = ? ORDER BY time_ms, seq LIMIT 1')
    .pluck();
  const upsertLink = db.prepare(`
    INSERT INTO identity_links (anonymous_id, user_id, time_ms, seq) VALUES (?, ?, ?, ?)
    ON CONFLICT (anonymous_id, user_id) DO UPDATE SET time_ms = excluded.time_ms, seq = excluded.seq
    WHERE excluded.time_ms < identity_links.time_ms`);
  const relink = db.prepare('UPDATE events SET person = ? WHERE anonymous_id = ? AND user_id IS NULL AND person IS NOT NULL');

  type PersonRow = { id: number; ownerId: number | null; ownerKey: string | null };
  // People seen in the current batch: a batch usually comes from one visitor. Cleared after every batch.
  const seen = new Map<string, PersonRow>();

  /** The person row of a key, added on first sight. */
  function row(key: string): PersonRow {
    let found = seen.get(key) ?? (findPerson.get(key) as PersonRow | undefined);
    found ??= { id: Number(addPerson.run(key).lastInsertRowid), ownerId: null, ownerKey: null };
    seen.set(key, found);
    return found;
  }

  /** The person (key and id) events of this visitor belong to. */
  function resolve(anonymousId: string, userId: string | null | undefined): { key: string; id: number } {
    if (userId) {
      const key = userPerson(userId);
      return { key, id: row(key).id };
    }
    const key = anonymousPerson(anonymousId);
    const found = row(key);
    return found.ownerId === null ? { key, id: found.id } : { key: found.ownerKey!, id: found.ownerId };
  }

  function link(anonymousId: string, userId: string, time: number, seq: number | bigint): void {
    upsertLink.run(anonymousId, userId, time, seq);
    const anonymous = row(anonymousPerson(anonymousId));
    const ownerKey = userPerson(earliestLink.get(anonymousId) as string);
    const owner = row(ownerKey);
    if (anonymous.ownerId === owner.id) return;
    setOwner.run(owner.id, anonymous.id);
    seen.set(anonymousPerson(anonymousId), { ...anonymous, ownerId: owner.id, ownerKey });
    relink.run(owner.id, anonymousId);
    // A re-link from one user to another (an earlier identify arriving late) leaves both users' ledgers alone.
    if (anonymous.ownerId === null) hooks?.personLinked(anonymousPerson(anonymousId), ownerKey);
  }

  function write(rows: readonly EventRow[], receivedMs: number): BatchResult {
    let accepted = 0;
    for (const row of rows) {
      if (stored.get(row.key, row.id) !== undefined) continue;
      const person = needsPerson(row) ? resolve(row.anonymousId, row.userId) : undefined;
      const { lastInsertRowid } = insert.run(
        row.key, row.id, row.type, row.name, row.message, row.kind, row.variant, row.goal, row.anonymousId, row.userId, person?.id ?? null, row.time, receivedMs, row.body,
      );
      accepted += 1;
      hooks?.eventStored?.(row, receivedMs);
      if (row.time === null) continue;
      if (linksIdentity(row)) link(row.anonymousId, row.userId!, row.time, lastInsertRowid);
      if (row.ledger && person) hooks?.messageEvent(person.key, row.message!, row.ledger, row.time, row.id);
    }
    hooks?.batchDone(receivedMs);
    return { accepted, duplicates: rows.length - accepted };
  }

  function writeRows(rows: readonly EventRow[], receivedMs: number): BatchResult {
    try {
      return write(rows, receivedMs);
    } catch (error) {
      hooks?.batchFailed();
      throw error;
    } finally {
      seen.clear();
    }
  }

  function personOf(anonymousId: string, userId?: string): string {
    try {
      return resolve(anonymousId, userId).key;
    } finally {
      // The cache holds for one batch only: the caller's transaction may still roll back.
      seen.clear();
    }
  }

  const insertRows = db.transaction(writeRows);
  return {
    insertBatch: (events, receivedMs) => insertRows.immediate(events.map(eventRow), receivedMs),
    insertRows: (rows, receivedMs) => insertRows.immediate(rows, receivedMs),
    writeRows,
    personOf,
  };
}
