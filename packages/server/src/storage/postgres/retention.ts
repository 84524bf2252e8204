// The retention sweep on PostgreSQL, in bounded steps. A month partition wholly older than
// --retain-events is dropped whole (its event ids deleted first, a slice per step, through their time
// index); anonymous events past --retain-anonymous, and the edge of --retain-events inside a month, are
// deleted a slice at a time, partition by partition. Each step is one short transaction.
import { PARTITION_END, PARTITION_START } from './schema.js';
import { SWEEP_STEP_ROWS, emptySweep, type RetentionPolicy, type SweepStep } from '../people.js';
import { transaction, type Pool } from './pool.js';

/** A partition of events and the times it holds ([from, to); the default partition holds the rest). */
interface Partition {
  name: string;
  from: number;
  to: number;
}

/** Serialises dropping partitions with creating them (the partition keeper holds the same lock). */
const PARTITION_LOCK = 'beckon:partitions';

/** The partitions of events, oldest first; events_undated (the default) last, covering every time. */
async function partitionsOf(pool: Pool): Promise<Partition[]> {
  const { rows } = await pool.query<{ name: string }>(
    "SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'events'::regclass",
  );
  const months: Partition[] = [];
  let undated: Partition | undefined;
  for (const { name } of rows) {
    const month = /^events_y(\d{4})m(\d{2})$/.exec(name);
    if (month) {
      const year = Number(month[1]);
      const index = Number(month[2]) - 1;
      months.push({ name, from: Date.UTC(year, index, 1), to: Date.UTC(year, index + 1, 1) });
    } else if (name === 'events_undated') {
      undated = { name, from: -Infinity, to: Infinity };
    }
  }
  months.sort((a, b) => a.from - b.from);
  return undated ? [...months, undated] : months;
}

/** The sweep over the pool; it remembers which partitions its pass still has to look at. */
export function createSweeper(pool: Pool, stepRows = SWEEP_STEP_ROWS) {
  let pass: Partition[] | undefined;

  /** Drops one month wholly older than the events cut-off, a slice of its event ids per step; false when none is. */
  async function dropExpiredMonth(eventsCut: number, result: SweepStep): Promise<boolean> {
    const expired = (await partitionsOf(pool)).find((p) => p.name !== 'events_undated' && p.to <= eventsCut);
    if (!expired) return false;
    await transaction(pool, async (client) => {
      const ids = await client.query(
        'DELETE FROM event_ids WHERE event_id IN (SELECT event_id FROM event_ids WHERE time_ms >= $1 AND time_ms < $2 LIMIT $3)',
        [expired.from, expired.to, stepRows],
      );
      if ((ids.rowCount ?? 0) === stepRows) return;
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [PARTITION_LOCK]);
      const { rows } = await client.query<{ n: number }>(`SELECT count(*) AS n FROM ${expired.name}`);
      // The name comes from the catalog and matched events_yYYYYmMM above: never from input.
      await client.query(`DROP TABLE ${expired.name}`);
      result.deleted.events += rows[0]!.n;
      result.deleted.partitions += 1;
    });
    return true;
  }

  /** Deletes one slice of expired rows from a partition; resolves with how many. */
  async function deleteSlice(partition: Partition, eventsCut: number, anonymousCut: number): Promise<number> {
    return transaction(pool, async (client) => {
      const deleted = await client.query<{ event_id: string }>(
        `DELETE FROM ${partition.name} WHERE ctid = ANY(ARRAY(
           SELECT ctid FROM ${partition.name} e
           WHERE COALESCE(time_ms, received_ms) < $1
              OR (COALESCE(time_ms, received_ms) < $2 AND user_id IS NULL
                  AND NOT EXISTS (SELECT 1 FROM identity_links l WHERE l.anonymous_id = e.anonymous_id))
           LIMIT $3))
         RETURNING event_id`,
        [eventsCut, anonymousCut, stepRows],
      );
      if (deleted.rows.length > 0) await client.query('DELETE FROM event_ids WHERE event_id = ANY($1::text[])', [deleted.rows.map((row) => row.event_id)]);
      return deleted.rows.length;
    });
  }

  async function step(policy: RetentionPolicy, now: number): Promise<SweepStep> {
    const result = emptySweep(false);
    const erasures = await pool.query('DELETE FROM erasures WHERE until_ms <= $1', [now]);
    result.deleted.erasures = erasures.rowCount ?? 0;
    if (policy.eventsMs === undefined && policy.anonymousMs === undefined) return { ...result, done: true };
    // Bounds within bigint: the SQL compares them with time columns.
    const eventsCut = policy.eventsMs === undefined ? PARTITION_START - 1 : now - policy.eventsMs;
    const anonymousCut = policy.anonymousMs === undefined ? PARTITION_START - 1 : now - policy.anonymousMs;
    const cut = Math.max(eventsCut, anonymousCut);
    if (policy.eventsMs !== undefined && (await dropExpiredMonth(eventsCut, result))) return result;
    // A pass visits every partition that may hold expired rows, oldest first, the undated one last.
    pass ??= (await partitionsOf(pool)).filter((p) => p.from < cut && p.from < PARTITION_END);
    const partition = pass[0];
    if (partition) {
      const n = await deleteSlice(partition, eventsCut, anonymousCut);
      result.deleted.events += n;
      if (n < stepRows) pass.shift();
      return result;
    }
    // Ledgers last: anonymous people never linked, with no event left and no visit since the cut-off.
    const ledgers = await pool.query(
      `DELETE FROM ledgers WHERE person IN (
         SELECT person FROM ledgers l
         WHERE person LIKE 'a:%' AND updated_ms < $1
           AND NOT EXISTS (SELECT 1 FROM identity_links WHERE anonymous_id = substr(l.person, 3))
           AND NOT EXISTS (SELECT 1 FROM events WHERE anonymous_id = substr(l.person, 3) AND user_id IS NULL AND person IS NOT NULL)
         LIMIT $2)`,
      [cut, stepRows],
    );
    result.deleted.ledgers = ledgers.rowCount ?? 0;
    if (result.deleted.ledgers === stepRows) return result;
    pass = undefined;
    result.done = true;
    return result;
  }

  return { step };
}
