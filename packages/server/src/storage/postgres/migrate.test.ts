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

/** Migrates a fresh schema (after `prepare` ran SQL in it) and returns what happened. */
async function migrateSchema(prepare?: (sql: (text: string) => Promise<unknown>) => Promise<void>) {
  const url = await database.schemaUrl();
  const pool = createPool(url, { max: 3 });
  try {
    if (prepare) await prepare((text) => pool.query(text));
    return await Promise.allSettled([migrate(pool, url), migrate(pool, url)]);
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
    expect((newer as PromiseRejectedResult).reason.message).toMatch(/has schema version 99, newer than this Beckon \(1\): upgrade @beckon\/server$/);
    const [foreign] = await migrateSchema((sql) => sql('CREATE TABLE events (id int)').then(() => {}));
    expect((foreign as PromiseRejectedResult).reason.message).toContain('belongs to another application');
  });
});
