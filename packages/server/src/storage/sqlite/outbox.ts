// The SQLite outbox. The writer thread queues each stored event for every destination inside the
// batch's transaction and deletes delivered entries; the HTTP thread reads the queue through its own
// connection (WAL readers never wait for the writer), so forwarding never holds up ingest.
import { backlogOf, type DestinationReport, type Outbox, type OutboxClaim, type OutboxEntry } from '../outbox.js';
import type { EventRow } from '../rows.js';
import type { BeckonDatabase } from './database.js';

/** The outbox table (idempotent; created on every open, so older files get it too). */
export const OUTBOX_SQL = `
-- One row per stored event and forwarding destination, deleted once the destination took it.
-- AUTOINCREMENT: an id is never reused after the newest entry is deleted, so ids keep storage order.
CREATE TABLE IF NOT EXISTS outbox (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  destination  TEXT NOT NULL,     -- the destination as shown (no credentials)
  event_id     TEXT NOT NULL,     -- the event's messageId
  anonymous_id TEXT NOT NULL,     -- whose event it is, so erasing a person can find it
  user_id      TEXT,
  received_ms  INTEGER NOT NULL,
  body         TEXT NOT NULL      -- the event as stored: forwarding never reads the events table
);
CREATE INDEX IF NOT EXISTS outbox_by_destination ON outbox (destination, id);
`;

/** The writer thread's side: queue a stored event, remove delivered entries. */
export interface OutboxWriter {
  queue(row: EventRow, receivedMs: number): void;
  remove(ids: readonly number[]): void;
}

export function createOutboxWriter(db: BeckonDatabase, destinations: readonly string[]): OutboxWriter {
  const insert = db.prepare('INSERT INTO outbox (destination, event_id, anonymous_id, user_id, received_ms, body) VALUES (?, ?, ?, ?, ?, ?)');
  const remove = db.prepare('DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?))');
  return {
    queue(row, receivedMs) {
      for (const destination of destinations) insert.run(destination, row.id, row.anonymousId, row.userId, receivedMs, row.body);
    },
    remove(ids) {
      if (ids.length > 0) remove.run(JSON.stringify(ids));
    },
  };
}

/**
 * The outbox as the HTTP thread sees it: reads through `db` (its own connection), deletes through the
 * writer thread (`remove`). One process owns a SQLite file, so a claim is only refused to a second
 * claim of the same destination in this process.
 */
export function createSqliteOutbox(db: BeckonDatabase, destinations: readonly string[], remove: (ids: number[]) => Promise<void>): Outbox {
  const next = db.prepare(`SELECT id, event_id AS eventId, received_ms AS receivedMs, body FROM outbox
    WHERE destination = ? ORDER BY id LIMIT ?`);
  // Counted on the index alone; the oldest is the first entry's (ids follow storage order).
  const backlog = db.prepare(`SELECT destination, COUNT(*) AS pending,
      (SELECT received_ms FROM outbox f WHERE f.destination = o.destination ORDER BY id LIMIT 1) AS oldest
    FROM outbox o GROUP BY destination`);
  const claimed = new Set<string>();
  // One process owns a SQLite file: what its forwarders report is kept here, not written.
  const reports = new Map<string, DestinationReport>();
  return {
    destinations,
    async claim(destination): Promise<OutboxClaim | null> {
      if (claimed.has(destination)) return null;
      claimed.add(destination);
      let released = false;
      return {
        next: async (limit) => next.all(destination, limit) as OutboxEntry[],
        done: (ids) => remove([...ids]),
        report: async (report) => void reports.set(destination, report),
        async release() {
          if (!released) claimed.delete(destination);
          released = true;
        },
      };
    },
    backlog: async (now) =>
      backlogOf(destinations, backlog.all() as Array<{ destination: string; pending: number; oldest: number | null }>, now, reports),
  };
}
