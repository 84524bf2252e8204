import type { MigrationReport } from '../contract.js';
import { DatabaseUnavailableError, redactUrl } from '../errors.js';
import { connect, unavailable, type Client, type Pool } from './pool.js';
import { OUTBOX_SQL } from './outbox.js';
import { MIGRATE_1_TO_2, SCHEMA_SQL, SCHEMA_VERSION } from './schema.js';

/** Held while one process migrates: others starting at once wait for it, then find nothing to do. */
const MIGRATION_LOCK = 'beckon:migrate';

async function migrateLocked(client: Client, shown: string): Promise<MigrationReport> {
  const tables = await client.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('beckon_meta', 'events')",
  );
  const names = new Set(tables.rows.map((row) => row.name));
  if (names.has('events') && !names.has('beckon_meta')) {
    throw new DatabaseUnavailableError(shown, `database ${shown} has an events table but no beckon_meta: it belongs to another application; use another database or schema`);
  }
  const found = names.has('beckon_meta')
    ? (await client.query<{ value: string }>("SELECT value FROM beckon_meta WHERE key = 'schema_version'")).rows[0]?.value
    : undefined;
  const from = found === undefined ? null : Number(found);
  if (from !== null && from > SCHEMA_VERSION) {
    throw new DatabaseUnavailableError(shown, `database ${shown} has schema version ${from}, newer than this Beckon (${SCHEMA_VERSION}): upgrade @beckon/server`);
  }
  if (from === SCHEMA_VERSION) return { from, to: SCHEMA_VERSION, actions: [] };
  await client.query('BEGIN');
  const actions: string[] = [];
  if (from === 1) {
    await client.query(MIGRATE_1_TO_2);
    actions.push('upgraded version 1 to 2: message events name their variant (variant_id, filled from the stored events)');
  }
  await client.query(SCHEMA_SQL);
  await client.query(
    "INSERT INTO beckon_meta (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    [String(SCHEMA_VERSION)],
  );
  await client.query('COMMIT');
  const tablesMade = 'beckon_meta, event_ids, events (partitioned by month), identity_links, ledgers';
  if (from === null) actions.push(`created the schema, version ${SCHEMA_VERSION} (tables ${tablesMade})`);
  return { from, to: SCHEMA_VERSION, actions };
}

/**
 * Creates or upgrades the schema under a session advisory lock, so that several processes starting
 * at once migrate once. Throws a DatabaseUnavailableError naming the database (without its password)
 * when it cannot be reached, belongs to another application, or is newer than this Beckon.
 */
export async function migrate(pool: Pool, url: string): Promise<MigrationReport> {
  const shown = redactUrl(url);
  let client: Client;
  try {
    client = await connect(pool);
  } catch (error) {
    throw unavailable(url, error);
  }
  let broken: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [MIGRATION_LOCK]);
    const report = await migrateLocked(client, shown);
    // The outbox came after schema version 1 without changing what older code reads: made where missing.
    // Only where one is missing: a role without CREATE on the schema can run a database migrated by its owner.
    const { rows } = await client.query<{ outbox: string | null; reports: string | null }>(
      "SELECT to_regclass('outbox')::text AS outbox, to_regclass('outbox_destinations')::text AS reports",
    );
    if (rows[0]?.outbox == null || rows[0]?.reports == null) {
      await client.query(OUTBOX_SQL);
      if (report.from !== null) report.actions.push('created the outbox tables (events waiting to be forwarded, and how forwarding goes)');
    }
    return report;
  } catch (error) {
    await client.query('ROLLBACK').catch((e: Error) => (broken = e));
    throw error instanceof DatabaseUnavailableError ? error : unavailable(url, error);
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [MIGRATION_LOCK]).catch((e: Error) => (broken = e));
    client.release(broken);
  }
}
