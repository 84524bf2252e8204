// The connection pool (node-postgres) and what its errors mean for Beckon.
import pg from 'pg';
import type { Logger } from '../../log.js';
import { DatabaseUnavailableError, redactUrl } from '../errors.js';

export type Pool = pg.Pool;
export type Client = pg.PoolClient;

/** Pool options; `max` connections per process (default 10). */
export interface PoolOptions {
  max?: number;
  log?: Logger;
}

// int8 (bigint, COUNT) as JavaScript numbers: Beckon's are epoch ms and counts, far below 2^53.
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** Opens a pool on `url`. Connections are made on demand, and again after one is lost. */
export function createPool(url: string, options: PoolOptions = {}): Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    // A database that does not answer is reported within seconds, not left to the OS's TCP timeout.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: 'beckon',
    types,
  });
  // An idle connection that dies (a restart, pg_terminate_backend) must not crash the process: the
  // pool drops it and opens another when one is needed.
  const lost = (error: Error) => options.log?.({ level: 'warn', message: `a PostgreSQL connection of ${redactUrl(url)} was lost: ${error.message}` });
  // Every connection reports its own loss once (in use or idle); the pool's echo of an idle one is
  // only listened to so that it does not throw.
  pool.on('connect', (client) => client.on('error', lost));
  pool.on('error', () => {});
  return pool;
}

/** SQLSTATE classes and codes of errors where trying again on a fresh connection may succeed. */
const CONNECTION_CODES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08003', '08006', '08001', '08004']);
const NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

/** No connection could be had from the pool (whatever the server said: down, refusing, not accepting). */
export class ConnectError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'ConnectError';
  }
}

/** A connection from the pool; failing to get one is a ConnectError. */
export async function connect(pool: Pool): Promise<Client> {
  try {
    return await pool.connect();
  } catch (error) {
    throw new ConnectError(error);
  }
}

/** True when an error means the database (or the connection to it) is gone, not that the request is wrong. */
export function isConnectionError(error: unknown): boolean {
  if (error instanceof ConnectError) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || NODE_CODES.has(code))) return true;
  const message = error instanceof Error ? error.message : '';
  // pool.query() passes a refused connection on as the server said it (55000 for ALLOW_CONNECTIONS false).
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connection.*(closed|ended)|not currently accepting connections/i.test(message);
}

/** Deadlocks and serialization failures: the transaction was rolled back and may simply run again. */
export const isRetryable = (error: unknown): boolean => ['40P01', '40001'].includes(String((error as { code?: unknown }).code));

/** A sentence for a database that cannot be used, naming it without its password. */
export function unavailable(url: string, error: unknown): DatabaseUnavailableError {
  const shown = redactUrl(url);
  const cause = error instanceof ConnectError ? error.cause : error;
  const code = String((cause as { code?: unknown }).code ?? '');
  const detail = cause instanceof Error ? cause.message : String(cause);
  const say = (message: string) => new DatabaseUnavailableError(shown, message, { cause: error });
  if (code === '3D000') return say(`database ${shown} does not exist: create it (createdb) or fix the name in the URL`);
  if (code === '28P01' || code === '28000') return say(`database ${shown} refused the login: check the user and password in the URL (${detail})`);
  if (code === '42501') return say(`database ${shown} does not let this user create Beckon's tables: grant CREATE on the schema or run beckon migrate as its owner (${detail})`);
  if (isConnectionError(error)) return say(`database ${shown} cannot be reached: check that PostgreSQL runs there and accepts connections (${detail || code})`);
  return say(`database ${shown} cannot be used: ${detail}`);
}

/**
 * Runs `work` in a transaction on one connection: committed when it resolves, rolled back when it
 * throws. A deadlock or serialization failure runs it again (up to 5 times); a lost connection once,
 * on a fresh one. Anything else is thrown as it is.
 */
export async function transaction<T>(pool: Pool, work: (client: Client) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let client: Client | undefined;
    try {
      client = await connect(pool);
      await client.query(begin);
      const result = await work(client);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      if (client) {
        const lost = isConnectionError(error);
        // A lost connection is destroyed; a live one is rolled back and goes back to the pool.
        if (!lost) await client.query('ROLLBACK').then(() => client!.release(), (e: Error) => client!.release(e));
        else client.release(error as Error);
      }
      const again = (isRetryable(error) && attempt < 5) || (isConnectionError(error) && attempt < 2);
      if (!again) throw error;
    }
  }
}
