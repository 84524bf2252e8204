// What only the PostgreSQL engine's retention does: dropping a month's partition, and another process
// storing a late event of that month afterwards (the month is not made again while events_undated holds
// some of it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../conformance/postgres-database.js';
import { openPostgresStorage } from './engine.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const DAY = 86_400_000;
const page = (id: string, day: number) => ({ type: 'page' as const, messageId: id, anonymousId: 'v1', userId: 'u1', timestamp: new Date(Date.UTC(2026, 0, 1) + day * DAY).toISOString() });

describe('retention on PostgreSQL', () => {
  it('drops a month wholly past --retain-events, and a process started later stores a late event of that month', async () => {
    const url = await database.schemaUrl();
    const first = openPostgresStorage(url, { maxConnections: 2 });
    let second: ReturnType<typeof openPostgresStorage> | undefined;
    try {
      await first.ready;
      await first.insertBatch([page('jan-4', 3), page('jan-5', 4), page('feb-20', 50)], Date.UTC(2026, 1, 21));
      const now = Date.UTC(2026, 2, 31);
      let dropped = 0;
      for (let done = false; !done; ) {
        const step = await first.sweepRetention({ eventsMs: 45 * DAY }, now);
        dropped += step.deleted.partitions;
        done = step.done;
      }
      expect(dropped).toBeGreaterThanOrEqual(1);
      const schema = new URL(url).searchParams.get('options')!.split('=')[1];
      const { rows } = await database.admin.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'events_y2026m01' AND schemaname = $1",
        [schema],
      );
      expect(rows[0]!.n).toBe(0);
      // This process still counts the month as made: its late event goes to events_undated.
      expect(await first.insertBatch([page('jan-6', 5)], now)).toEqual({ accepted: 1, duplicates: 0 });
      // A process started now makes the months around today, January 2026 among them, which events_undated's
      // January row forbids: the month is left to events_undated, and its events are stored there.
      second = openPostgresStorage(url, { maxConnections: 2 });
      await second.ready;
      expect(await second.insertBatch([page('jan-7', 6)], now)).toEqual({ accepted: 1, duplicates: 0 });
      const stored = await second.exportPerson({ userId: 'u1' });
      expect(stored!.events.map((e) => e.event.messageId)).toEqual(['jan-6', 'jan-7', 'feb-20']);
    } finally {
      await first.close();
      await second?.close();
    }
  });
});
