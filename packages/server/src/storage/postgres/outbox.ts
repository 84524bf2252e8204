// The PostgreSQL outbox. Events are queued in the transaction that stores them; a destination is
// forwarded by one process at a time, the one holding its advisory lock on a connection of its own,
// so the destination gets events in order and each from one process. When that process dies its
// connection closes, the lock goes with it, and another process takes over where it stopped.
import pg from 'pg';
import type { Logger } from '../../log.js';
import { redactUrl } from '../errors.js';
import { backlogOf, type DestinationReport, type Outbox, type OutboxClaim } from '../outbox.js';
import type { EventRow } from '../rows.js';
import type { Client, Pool } from './pool.js';

/** The outbox table (idempotent; run on every start under the migration lock). */
export const OUTBOX_SQL = `
-- One row per stored event and forwarding destination, deleted once the destination took it.
CREATE TABLE IF NOT EXISTS outbox (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  destination  text COLLATE "C" NOT NULL,  -- the destination as shown (no credentials)
  event_id     text COLLATE "C" NOT NULL,  -- the event's messageId
  anonymous_id text COLLATE "C" NOT NULL,  -- whose event it is, so erasing a person can find it
  user_id      text COLLATE "C",
  received_ms  bigint NOT NULL,
  body         text NOT NULL               -- the event as stored: forwarding never reads events
);
CREATE INDEX IF NOT EXISTS outbox_by_destination ON outbox (destination, id);

-- What the process forwarding each destination last reported, so every process's health shows it.
CREATE TABLE IF NOT EXISTS outbox_destinations (
  destination       text COLLATE "C" PRIMARY KEY,
  last_error        text,
  last_error_ms     bigint,
  last_delivered_ms bigint
);
`;

/** Queues new events for every destination, inside the caller's transaction, in the rows' order. */
export async function queueForForwarding(client: Client, rows: readonly EventRow[], receivedMs: number, destinations: readonly string[]): Promise<void> {
  if (rows.length === 0 || destinations.length === 0) return;
  await client.query(
    `INSERT INTO outbox (destination, event_id, anonymous_id, user_id, received_ms, body)
     SELECT d.name, e.id, e.anonymous_id, e.user_id, $6, e.body
     FROM unnest($1::text[]) WITH ORDINALITY AS d(name, i)
     CROSS JOIN unnest($2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS e(id, anonymous_id, user_id, body, i)
     ORDER BY d.i, e.i`,
    [destinations, rows.map((r) => r.id), rows.map((r) => r.anonymousId), rows.map((r) => r.userId), rows.map((r) => r.body), receivedMs],
  );
}

/** The advisory lock key of a destination: per schema, so two Beckon schemas in one database never share one. */
const LOCK_SQL = "SELECT pg_try_advisory_lock(hashtextextended(current_schema() || ':beckon:forward:' || $1, 0)) AS locked";

export function createPostgresOutbox(pool: Pool, url: string, destinations: readonly string[], log?: Logger): Outbox & { close(): Promise<void> } {
  // A connection kept per destination that another process forwards, to ask for its lock again without reconnecting.
  const waiting = new Map<string, pg.Client>();
  const open = new Set<pg.Client>();
  const end = async (client: pg.Client) => {
    open.delete(client);
    await client.end().catch(() => {});
  };
  return {
    destinations,
    async claim(destination): Promise<OutboxClaim | null> {
      let client = waiting.get(destination);
      waiting.delete(destination);
      if (!client) {
        // A connection of its own: the lock lives as long as it does, and forwarding never takes the pool's.
        const made = new pg.Client({ connectionString: url, application_name: 'beckon-forward' });
        made.on('error', (error) => log?.({ level: 'warn', message: `the forwarding connection of ${redactUrl(url)} was lost: ${error.message}` }));
        open.add(made);
        try {
          await made.connect();
        } catch (error) {
          await end(made);
          throw error;
        }
        client = made;
      }
      const held = client;
      try {
        const { rows } = await held.query<{ locked: boolean }>(LOCK_SQL, [destination]);
        if (!rows[0]?.locked) {
          waiting.set(destination, held);
          return null;
        }
      } catch (error) {
        await end(held);
        throw error;
      }
      let released: Promise<void> | undefined;
      return {
        async next(limit) {
          const { rows } = await held.query<{ id: string; eventId: string; receivedMs: string; body: string }>(
            `SELECT id, event_id AS "eventId", received_ms AS "receivedMs", body FROM outbox
             WHERE destination = $1 ORDER BY id LIMIT $2`,
            [destination, limit],
          );
          return rows.map((row) => ({ id: Number(row.id), eventId: row.eventId, receivedMs: Number(row.receivedMs), body: row.body }));
        },
        async done(ids) {
          if (ids.length > 0) await held.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [ids]);
        },
        async report({ lastError, lastErrorMs, lastDeliveredMs }) {
          await held.query(
            `INSERT INTO outbox_destinations (destination, last_error, last_error_ms, last_delivered_ms) VALUES ($1, $2, $3, $4)
             ON CONFLICT (destination) DO UPDATE SET last_error = excluded.last_error, last_error_ms = excluded.last_error_ms,
               last_delivered_ms = excluded.last_delivered_ms`,
            [destination, lastError, lastErrorMs, lastDeliveredMs],
          );
        },
        // Closing the connection releases the lock.
        release: () => (released ??= end(held)),
      };
    },
    async close() {
      await Promise.all([...open].map(end));
      waiting.clear();
    },
    async backlog(now) {
      // Counted on the index alone; the oldest is the first entry's (ids follow storage order).
      const { rows } = await pool.query<{ destination: string; pending: number; oldest: number | null }>(
        `SELECT destination, COUNT(*) AS pending,
           (SELECT received_ms FROM outbox f WHERE f.destination = o.destination ORDER BY id LIMIT 1) AS oldest
         FROM outbox o GROUP BY destination`,
      );
      const reported = await pool.query<{ destination: string; last_error: string | null; last_error_ms: number | null; last_delivered_ms: number | null }>(
        'SELECT destination, last_error, last_error_ms, last_delivered_ms FROM outbox_destinations',
      );
      const reports = new Map<string, DestinationReport>(reported.rows.map((row) => [
        row.destination, { lastError: row.last_error, lastErrorMs: row.last_error_ms, lastDeliveredMs: row.last_delivered_ms },
      ]));
      return backlogOf(destinations, rows, now, reports);
    },
  };
}
