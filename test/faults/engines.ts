// The storage engines the fault matrix runs its server cases against. Each engine starts a real server
// over its storage and knows how to look into that storage and break it; the cases never touch storage
// themselves. Another engine is one more entry in ENGINES.
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { Database, startTestServer, type TestServer } from '../e2e/server-harness.js';
import type { ListenOptions } from '@beckon/server';
import { createTestDatabase, type TestDatabase } from '../../packages/server/src/storage/conformance/postgres-database.js';

/** Options of a server under test: listen's, with the catalog as a value. */
export type StartOptions = Omit<Partial<ListenOptions>, 'catalog' | 'db'> & { catalog?: unknown };

/** A running server over one engine's storage, with what the cases need to see and break it. */
export interface ServerUnderTest extends Pick<TestServer, 'url' | 'logs' | 'close'> {
  /** The stored events' ids and the time each is stored under (epoch ms), in the order stored. */
  stored(): Promise<Array<{ id: string; time: number | null }>>;
  /** From now on, storing the event with this id fails inside the storage (as a broken disk would). */
  failOn(eventId: string): Promise<void>;
  /** Takes the storage away (another holder locks it, or it stops) until the returned function gives it back. */
  takeAway(): Promise<() => Promise<void>>;
}

/** One storage engine. */
export interface EngineUnderTest {
  name: string;
  start(options?: StartOptions): Promise<ServerUnderTest>;
  /** The `beckon serve` options that put its storage in `dir`. */
  serveArgs(dir: string): string[];
  /** How often each of `ids` is stored in the storage `serveArgs(dir)` names (0 when it is not). */
  timesStored(dir: string, ids: readonly string[]): Promise<number[]>;
}

let triggers = 0;

const sqlite: EngineUnderTest = {
  name: 'SQLite',
  async start(options = {}) {
    const server = await startTestServer(options);
    const open = () => new Database(server.dbFile);
    return {
      url: server.url,
      logs: server.logs,
      close: server.close,
      async stored() {
        const db = open();
        try {
          return db.prepare('SELECT event_id AS id, time_ms AS time FROM events ORDER BY seq').all() as Array<{ id: string; time: number | null }>;
        } finally {
          db.close();
        }
      },
      async failOn(eventId) {
        const db = open();
        // A trigger cannot take parameters: the id is quoted as an SQL string.
        const id = `'${eventId.replace(/'/g, "''")}'`;
        db.exec(`CREATE TRIGGER fail_${++triggers} BEFORE INSERT ON events WHEN NEW.event_id = ${id} BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
        db.close();
      },
      async takeAway() {
        // Another process holding the write lock: the server's writes wait for it, then fail.
        const holder = open();
        holder.exec('BEGIN EXCLUSIVE');
        return async () => {
          holder.exec('ROLLBACK');
          holder.close();
        };
      },
    };
  },
  serveArgs: (dir) => ['--db', join(dir, 'beckon.sqlite')],
  async timesStored(dir, ids) {
    const db = new Database(join(dir, 'beckon.sqlite'), { readonly: true });
    try {
      const counts = new Map((db.prepare('SELECT event_id AS id, count(*) AS n FROM events GROUP BY event_id').all() as Array<{ id: string; n: number }>).map((r) => [r.id, r.n]));
      return ids.map((id) => counts.get(id) ?? 0);
    } finally {
      db.close();
    }
  },
};

// PostgreSQL: each server gets a database of its own on the test server; `beckon serve` cases share one.
const databases: TestDatabase[] = [];
afterAll(async () => {
  await Promise.all(databases.splice(0).map((database) => database.drop()));
});
const shared = await createTestDatabase();
databases.push(shared);

const postgres: EngineUnderTest = {
  name: 'PostgreSQL',
  async start(options = {}) {
    const database = await createTestDatabase();
    databases.push(database);
    const server = await startTestServer({ ...options, db: database.url });
    return {
      url: server.url,
      logs: server.logs,
      close: server.close,
      async stored() {
        const { rows } = await database.admin.query<{ id: string; time: number | null }>(
          'SELECT event_id AS id, time_ms::float8 AS time FROM events ORDER BY seq',
        );
        return rows;
      },
      async failOn(eventId) {
        const id = `'${eventId.replace(/'/g, "''")}'`;
        const name = `fail_${++triggers}`;
        await database.admin.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk on fire'; END $$`);
        await database.admin.query(`CREATE TRIGGER ${name} BEFORE INSERT ON events FOR EACH ROW WHEN (NEW.event_id = ${id}) EXECUTE FUNCTION ${name}()`);
      },
      async takeAway() {
        // The database stops accepting connections and every open one is cut, as when it goes down.
        await database.server.query(`ALTER DATABASE ${database.name} ALLOW_CONNECTIONS false`);
        await database.admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
        return async () => {
          await database.server.query(`ALTER DATABASE ${database.name} ALLOW_CONNECTIONS true`);
        };
      },
    };
  },
  serveArgs: () => ['--db', shared.url],
  async timesStored(_dir, ids) {
    const { rows } = await shared.admin.query<{ id: string; n: number }>('SELECT event_id AS id, count(*)::int AS n FROM events WHERE event_id = ANY($1) GROUP BY event_id', [ids]);
    const counts = new Map(rows.map((r) => [r.id, r.n]));
    return ids.map((id) => counts.get(id) ?? 0);
  },
};

/** Every engine the server cases run against. */
export const ENGINES: readonly EngineUnderTest[] = [sqlite, postgres];
