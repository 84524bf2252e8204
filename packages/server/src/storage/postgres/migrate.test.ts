import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../conformance/postgres-database.js';
import { migrate } from './migrate.js';
import { createPool } from './pool.js';
import { SCHEMA_VERSION } from './schema.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

type Sql = (text: string) => Promise<{ rows: unknown[] }>;

/** Migrates a fresh schema (after `prepare` ran SQL in it) twice at once and returns what happened; `after` reads it then. */
async function migrateSchema(prepare?: (sql: Sql) => Promise<void>, after?: (sql: Sql) => Promise<void>) {
  const url = await database.schemaUrl();
  const pool = createPool(url, { max: 3 });
  try {
    const sql: Sql = (text) => pool.query(text);
    if (prepare) await prepare(sql);
    const reports = await Promise.allSettled([migrate(pool, url), migrate(pool, url)]);
    await after?.(sql);
    return reports;
  } finally {
    await pool.end();
  }
}

describe('PostgreSQL migrations', () => {
  it('creates the schema once when two migrate at once; the other finds it current', async () => {
    const [first, second] = await migrateSchema();
    const reports = [first, second].map((r) => (r.status === 'fulfilled' ? r.value : r.reason));
    expect(reports).toContainEqual({ from: null, to: SCHEMA_VERSION, actions: [expect.stringContaining('created the schema')] });
    expect(reports).toContainEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION, actions: [] });
  });

  it("refuses a schema newer than this code, and another application's events table, naming the database", async () => {
    const [newer] = await migrateSchema(async (sql) => {
      await sql("CREATE TABLE beckon_meta (key text PRIMARY KEY, value text NOT NULL); INSERT INTO beckon_meta VALUES ('schema_version', '99')");
    });
    expect(newer).toMatchObject({ status: 'rejected', reason: { name: 'DatabaseUnavailableError' } });
    expect((newer as PromiseRejectedResult).reason.message).toMatch(new RegExp(`has schema version 99, newer than this Beckon \\(${SCHEMA_VERSION}\\): upgrade @beckon/server$`));
    const [foreign] = await migrateSchema((sql) => sql('CREATE TABLE events (id int)').then(() => {}));
    expect((foreign as PromiseRejectedResult).reason.message).toContain('belongs to another application');
  });

  it('upgrades version 1: message events get the variant their stored body names, other events none', async () => {
    let stored: unknown[] = [];
    const [first, second] = await migrateSchema(async (sql) => {
      // The version 1 events table, as far as the upgrade reads it.
      await sql(`CREATE TABLE beckon_meta (key text PRIMARY KEY, value text NOT NULL); INSERT INTO beckon_meta VALUES ('schema_version', '1');
        CREATE TABLE events (seq bigint, event_id text NOT NULL, type text NOT NULL, name text, message_id text COLLATE "C", kind smallint,
          goal text, anonymous_id text NOT NULL, user_id text, person text, time_ms bigint, received_ms bigint NOT NULL, body text NOT NULL)
          PARTITION BY RANGE (time_ms);
        CREATE TABLE events_undated PARTITION OF events DEFAULT;
        INSERT INTO events (event_id, type, message_id, kind, anonymous_id, received_ms, body) VALUES
          ('s', 'track', 'm', 0, 'a1', 1, '{"properties":{"message_id":"m","variant_id":"bold"}}'),
          ('c', 'track', 'm', 1, 'a1', 1, '{"properties":{"message_id":"m","variant_id":"plain"}}'),
          ('h', 'track', 'm', 3, 'a1', 1, '{"properties":{"message_id":"m","variant_id":"bold"}}'),
          ('e', 'track', 'm', 0, 'a1', 1, '{"properties":{"message_id":"m","variant_id":""}}'),
          ('n', 'track', 'm', 0, 'a1', 1, '{"properties":{"message_id":"m","variant_id":7}}'),
          ('o', 'track', NULL, NULL, 'a1', 1, '{"properties":{"variant_id":"bold"}}');`);
    }, async (sql) => {
      stored = (await sql('SELECT event_id, variant_id FROM events ORDER BY event_id')).rows;
    });
    const reports = [first, second].map((r) => (r.status === 'fulfilled' ? r.value : r.reason));
    expect(reports).toContainEqual({ from: 1, to: SCHEMA_VERSION, actions: expect.arrayContaining([expect.stringContaining('upgraded version 1 to 2')]) });
    expect(reports).toContainEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION, actions: [] });
    expect(stored).toEqual([
      { event_id: 'c', variant_id: 'plain' },
      { event_id: 'e', variant_id: null },
      { event_id: 'h', variant_id: null },
      { event_id: 'n', variant_id: null },
      { event_id: 'o', variant_id: null },
      { event_id: 's', variant_id: 'bold' },
    ]);
  });
});
