// GET /v1/ready, readiness as a load balancer asks it. GET /v1/health says the process is alive
// (liveness) and stays 200 while the database is away; this answers 503 then, so the balancer
// sends traffic to the processes that can still store it, and back here once the database is.
import type { ServerResponse } from 'node:http';
import { sendJson } from './respond.js';

/** What a readiness check asks the storage engine: one cheap round trip that resolves, never rejects. */
export type PingDatabase = () => Promise<{ ok: boolean; error?: string }>;

/** How long readiness waits for the database before calling it unreachable. */
export const READY_TIMEOUT_MS = 2_000;

/** Seconds a load balancer (or a client) may wait before asking again after a 503. */
const RETRY_AFTER_SECONDS = 5;

/** Pings the database, giving up after `timeoutMs`: a database that hangs is as unusable as one that is gone. */
async function pingWithin(ping: PingDatabase, timeoutMs: number): Promise<{ ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ ok: false; error: string }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, error: `the database did not answer within ${timeoutMs / 1000} s` }), timeoutMs);
  });
  try {
    return await Promise.race([ping(), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Answers a readiness check: 200 `{ "status": "ready", "database": {...} }` when the database
 * answered, else 503 `{ "status": "unavailable", "database": { "ok": false, "error": "..." } }`
 * with `Retry-After`.
 */
export async function sendReadiness(
  res: ServerResponse,
  ping: PingDatabase,
  headers: Record<string, string>,
  timeoutMs = READY_TIMEOUT_MS,
): Promise<void> {
  const database = await pingWithin(ping, timeoutMs);
  const noStore = { ...headers, 'cache-control': 'no-store' };
  if (database.ok) sendJson(res, 200, { status: 'ready', database }, noStore);
  else sendJson(res, 503, { status: 'unavailable', database }, { ...noStore, 'retry-after': String(RETRY_AFTER_SECONDS) });
}
