import { partitionOf } from './schema.js';
import { connect, type Pool } from './pool.js';

/** Serialises partition creation between processes (the DDL itself is IF NOT EXISTS). */
const PARTITION_LOCK = 'beckon:partitions';

/** PostgreSQL's check_violation: events_undated holds rows of the month a partition would take. */
const CHECK_VIOLATION = '23514';

/** Creates the month partitions of events as events arrive for them. */
export interface PartitionKeeper {
  /** Makes sure every month these event times fall in has its partition; outside any transaction of events. */
  ensure(times: ReadonlyArray<number | null>): Promise<void>;
}

export function createPartitionKeeper(pool: Pool): PartitionKeeper {
  let known: Promise<Set<string>> | undefined;
  const load = async () => {
    const client = await connect(pool);
    try {
      const { rows } = await client.query<{ name: string }>(
        "SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'events'::regclass",
      );
      return new Set(rows.map((row) => row.name));
    } finally {
      client.release();
    }
  };
  return {
    async ensure(times) {
      const names = await (known ??= load().catch((error: unknown) => {
        known = undefined;
        throw error;
      }));
      const missing = new Map<string, { from: number; to: number }>();
      for (const time of times) {
        const partition = partitionOf(time);
        if (partition && !names.has(partition.name)) missing.set(partition.name, partition);
      }
      if (missing.size === 0) return;
      const client = await connect(pool);
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [PARTITION_LOCK]);
        for (const [name, { from, to }] of missing) {
          // Names and bounds are made here from numbers, never from input text.
          await client.query('SAVEPOINT partition');
          try {
            await client.query(`CREATE TABLE IF NOT EXISTS ${name} PARTITION OF events FOR VALUES FROM (${from}) TO (${to})`);
          } catch (error) {
            // A month the retention sweep dropped, whose late events went to events_undated meanwhile:
            // its events keep going there (the sweep deletes them in turn), so it is not made again.
            if ((error as { code?: string }).code !== CHECK_VIOLATION) throw error;
            await client.query('ROLLBACK TO SAVEPOINT partition');
          }
        }
        await client.query('COMMIT');
        client.release();
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        client.release(error as Error);
        throw error;
      }
      for (const name of missing.keys()) names.add(name);
    },
  };
}
