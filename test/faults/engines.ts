// The storage engines the fault matrix runs its server cases against. Each engine starts a real server
// over its storage and knows how to look into that storage and break it; the cases never touch storage
// themselves. Another engine is one more entry in ENGINES.
import { join } from 'node:path';
import { Database, startTestServer, type TestServer } from '../e2e/server-harness.js';
import type { ListenOptions } from '@beckon/server';

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
};

/** Every engine the server cases run against. */
export const ENGINES: readonly EngineUnderTest[] = [sqlite];
