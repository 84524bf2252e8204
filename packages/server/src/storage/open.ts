import type { MigrationReport, OpenStorageOptions, Storage } from './contract.js';
import { openPostgresStorage } from './postgres/engine.js';
import { openSqliteStorage } from './sqlite/engine.js';

/** True when `db` names a PostgreSQL database (`postgres://…` or `postgresql://…`) rather than a SQLite file. */
export const isPostgresUrl = (db: string): boolean => /^postgres(ql)?:\/\//i.test(db);

/**
 * Opens the storage `db` names: a PostgreSQL URL, or else the path of a SQLite file. A SQLite file that
 * cannot be used throws at once; a database server that cannot be reached rejects `ready`.
 */
export function createStorage(db: string, options: OpenStorageOptions = {}): Storage {
  return isPostgresUrl(db) ? openPostgresStorage(db, options) : openSqliteStorage(db, options);
}

/** Opens `db` only to create or upgrade its schema, and says what that did. */
export async function migrateStorage(db: string): Promise<MigrationReport> {
  let report: MigrationReport | undefined;
  const storage = createStorage(db, { onMigrated: (done) => (report = done) });
  try {
    await storage.ready;
  } finally {
    await storage.close();
  }
  return report!;
}
