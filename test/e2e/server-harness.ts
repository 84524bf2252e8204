// Starts a real Beckon server on a free loopback port with a real SQLite file in a temp folder.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { listen, type ListenOptions, type LogEntry } from '@beckon/server';
import type { BeckonEvent } from '@beckon/tracking';

const requireFromServer = createRequire(new URL('../../packages/server/package.json', import.meta.url));

/** better-sqlite3 as @beckon/server resolves it (it is that package's dependency, not the root's). */
export const Database = requireFromServer('better-sqlite3') as typeof BetterSqlite3;

/** @beckon/server's third-party dependencies: left out of bundles, they resolve from its node_modules. */
const SERVER_DEPENDENCIES = Object.keys((requireFromServer('./package.json') as { dependencies: Record<string, string> }).dependencies)
  .filter((name) => !name.startsWith('@beckon/'));

/**
 * Bundles the `beckon` CLI from the TypeScript sources into a folder `name` (cli.mjs, and beside it
 * writer-worker.mjs and evaluator-worker.mjs, the scripts of its database writer and decide threads), to run with plain node: the real
 * command without a TypeScript loader's start-up time and memory. Third-party dependencies stay external and
 * resolve from @beckon/server's own node_modules, where the bundle is written. Resolves with cli.mjs's path.
 */
export async function bundleCli(name: string): Promise<string> {
  const outdir = fileURLToPath(new URL(`../../packages/server/node_modules/.cache/beckon/${name}/`, import.meta.url));
  await build({
    entryPoints: {
      cli: fileURLToPath(new URL('../../packages/server/src/cli.ts', import.meta.url)),
      'writer-worker': fileURLToPath(new URL('../../packages/server/src/storage/sqlite/writer-worker.ts', import.meta.url)),
      'evaluator-worker': fileURLToPath(new URL('../../packages/server/src/decide/evaluator-worker.ts', import.meta.url)),
    },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['source'],
    external: SERVER_DEPENDENCIES,
    logLevel: 'warning',
  });
  return join(outdir, 'cli.mjs');
}

/** A message catalog small enough for tests: one modal for anonymous visitors on /pricing. */
export const TEST_CATALOG = {
  messages: [
    {
      id: 'coupon',
      pages: { include: ['/pricing'] },
      frequency: { maxShows: 2 },
      goal: { event: 'Order Completed', window: '1d' },
      layout: { type: 'modal' },
      content: { title: '10% off', body: 'Create an account.', actions: [{ id: 'ok', label: 'OK', dismiss: true }] },
    },
  ],
};

/** A running test server and its files. */
export interface TestServer {
  url: string;
  dir: string;
  dbFile: string;
  catalogFile: string;
  logs: LogEntry[];
  close(): Promise<void>;
}

/** Starts a server in a fresh temp folder; `catalog` is written to messages.json there. */
export async function startTestServer(options: Omit<Partial<ListenOptions>, 'catalog'> & { catalog?: unknown } = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-server-'));
  const dbFile = join(dir, 'beckon.sqlite');
  const catalogFile = join(dir, 'messages.json');
  writeFileSync(catalogFile, JSON.stringify(options.catalog ?? TEST_CATALOG));
  const logs: LogEntry[] = [];
  const { catalog: _catalog, ...rest } = options;
  let server;
  try {
    server = await listen({ port: 0, log: (entry) => logs.push(entry), ...rest, db: rest.db ?? dbFile, catalog: catalogFile });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: server.url,
    dir,
    dbFile,
    catalogFile,
    logs,
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One stored event as a test reads it back from a server's SQLite file. */
export interface StoredEvent {
  type: string;
  name: string | null;
  message_id: string | null;
  anonymous_id: string;
  user_id: string | null;
  event_id: string;
  /** When it happened (epoch ms), as stored. */
  time: number;
}

/** Every event stored in the SQLite file `dbFile`, oldest first (read-only, so a running server is undisturbed). */
export function storedEvents(dbFile: string): StoredEvent[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.prepare('SELECT type, name, message_id, anonymous_id, user_id, event_id, time_ms AS time FROM events ORDER BY seq').all() as StoredEvent[];
  } finally {
    db.close();
  }
}

let clock = Date.parse('2026-01-10T12:00:00Z');

/** A valid event with a fresh id; `over` replaces any field. Times advance one second per event. */
export function makeEvent(over: Partial<BeckonEvent> & { type?: BeckonEvent['type'] } = {}): BeckonEvent {
  clock += 1000;
  const base = { messageId: randomUUID(), anonymousId: 'anon-1', timestamp: new Date(clock).toISOString() };
  const type = over.type ?? 'track';
  const shape = type === 'track' ? { event: 'Product Viewed' } : type === 'identify' ? { userId: 'user-1' } : type === 'screen' ? { name: 'Home' } : {};
  return { ...base, type, ...shape, ...over } as BeckonEvent;
}

/** A Beckon message event (`Message Shown` etc.) for `messageId`. */
export function messageEvent(name: string, messageId: string, over: Partial<BeckonEvent> = {}): BeckonEvent {
  return makeEvent({ type: 'track', event: name, properties: { message_id: messageId }, ...over } as Partial<BeckonEvent>);
}

/** POSTs JSON (or a raw string) and returns the status, headers and parsed body. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}
