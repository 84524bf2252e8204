import type { OpenStorageOptions, Storage } from './contract.js';
import { openSqliteStorage } from './sqlite/engine.js';

/** True when `db` names a PostgreSQL database (`postgres://…` or `postgresql://…`) rather than a SQLite file. */
export const isPostgresUrl = (db: string): boolean => /^postgres(ql)?:\/\//i.test(db);

/**
 * Opens the storage `db` names: a PostgreSQL URL, or else the path of a SQLite file. A SQLite file that
 * cannot be used throws at once; anything else is reported by the storage's `ready`.
 */
export function createStorage(db: string, options: OpenStorageOptions = {}): Storage {
  return openSqliteStorage(db, options);
}
