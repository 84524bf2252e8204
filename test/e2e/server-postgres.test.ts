// Several real `beckon serve` processes on one PostgreSQL database on loopback: exactly-once storage
// whichever process gets a batch or its replay, equal metrics everywhere, caps that hold across
// processes; start-up and mid-traffic database failures; `beckon migrate`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeMetrics, MESSAGE_EVENTS, type BeckonEvent } from '@beckon/tracking';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listeningUrl } from '../listening.js';
import { createTestDatabase, type TestDatabase } from '../../packages/server/src/storage/conformance/postgres-database.js';
import { bundleCli, makeEvent, messageEvent, postJson } from './server-harness.js';

const CATALOG = {
  messages: [
    { id: 'coupon', pages: { include: ['/pricing'] }, frequency: { maxShows: 3 }, goal: { event: 'Order Completed', window: '1d' },
      layout: { type: 'modal' }, content: { title: '10% off' } },
    { id: 'banner', audience: 'everyone', layout: { type: 'banner', position: 'top' }, content: { title: 'Hello' } },
  ],
};
const GOALS = { coupon: { event: 'Order Completed', windowMs: 86_400_000 } };

let cli: string;
let dir: string;
let database: TestDatabase | undefined;
const children: ChildProcess[] = [];
beforeAll(async () => {
  cli = await bundleCli('test-cli-postgres');
  dir = mkdtempSync(join(tmpdir(), 'beckon-pg-'));
  writeFileSync(join(dir, 'messages.json'), JSON.stringify(CATALOG));
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await database?.drop();
  database = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `beckon ...args` to the end. */
function beckon(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: dir, env: { ...process.env, ...env } });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts `beckon serve` on the database and resolves with its URL once it listens. */
function serve(db: string, env: Record<string, string> = {}, extra: string[] = []): Promise<string> {
  const args = ['serve', '--catalog', 'messages.json', '--port', '0', ...(db ? ['--db', db] : []), ...extra];
  const child = spawn(process.execPath, [cli, ...args], { cwd: dir, env: { ...process.env, ...env } });
  children.push(child);
  return listeningUrl(child);
}

/** POSTs a batch until it is stored (a 503 or a cut connection is retried, as the tracker does); resolves with the result. */
async function deliver(url: string, batch: BeckonEvent[]): Promise<{ accepted: number; duplicates: number; retries: number }> {
  for (let retries = 0; ; retries++) {
    try {
      const response = await postJson(`${url}/v1/batch`, { batch });
      if (response.status === 200) return { ...(response.body as { accepted: number; duplicates: number }), retries };
      expect(response.status, JSON.stringify(response.body)).toBe(503);
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error; // fetch failed: the connection was cut
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const count = async (sql: string) => Number((await database!.admin.query<{ n: string }>(sql)).rows[0]!.n);

/** A visitor's day: page views, a show of the coupon, sometimes a click, an order, an identify. */
function visit(visitor: number): BeckonEvent[] {
  const anonymousId = `v${visitor}`;
  const events = [
    makeEvent({ type: 'page', anonymousId, name: 'Pricing' }),
    messageEvent(MESSAGE_EVENTS.shown, visitor % 5 === 0 ? 'banner' : 'coupon', { anonymousId }),
  ];
  if (visitor % 3 === 0) events.push(messageEvent(MESSAGE_EVENTS.clicked, 'coupon', { anonymousId }));
  if (visitor % 4 === 0) events.push(makeEvent({ type: 'track', event: 'Order Completed', anonymousId }));
  if (visitor % 7 === 0) events.push(messageEvent(MESSAGE_EVENTS.heldOut, 'coupon', { anonymousId }));
  // Several devices of one user: an identify links them all, late events included.
  if (visitor % 2 === 0) events.push(makeEvent({ type: 'identify', anonymousId, userId: `user-${visitor % 6}` }));
  return events;
}

describe('beckon serve on PostgreSQL, three processes on one database', () => {
  it('stores every event once whichever process gets it or its replay, and every process gives the same metrics', async () => {
    database = await createTestDatabase();
    // Started at once: they migrate once (an advisory lock), and all three come up.
    const urls = await Promise.all([serve(database.url), serve(database.url), serve(database.url)]);
    expect(await count("SELECT count(*) AS n FROM beckon_meta WHERE key = 'schema_version'")).toBe(1);
    // The catalog's ETag comes from its content: the same on every process, so caches agree.
    const etags = await Promise.all(urls.map(async (url) => (await fetch(`${url}/v1/catalog`)).headers.get('etag')));
    expect(new Set(etags).size).toBe(1);
    expect(etags[0]).toMatch(/^"[\w-]{27}"$/);

    const batches = Array.from({ length: 45 }, (_, i) => [...visit(i), ...visit(i + 45)]);
    const results = await Promise.all(
      batches.flatMap((batch, i) => [deliver(urls[i % 3]!, batch), deliver(urls[(i + 1) % 3]!, batch)]),
    );
    const events = batches.flat();
    expect(results.reduce((sum, r) => sum + r.accepted, 0)).toBe(events.length);
    expect(results.reduce((sum, r) => sum + r.duplicates, 0)).toBe(events.length);
    expect(await count('SELECT count(*) AS n FROM events')).toBe(events.length);
    expect(await count('SELECT count(DISTINCT event_id) AS n FROM events')).toBe(events.length);

    const range = { from: Date.parse('2026-01-01T00:00:00Z'), to: Date.parse('2027-01-01T00:00:00Z') };
    const expected = computeMetrics(events, { ...range, goals: GOALS });
    expect(expected.find((m) => m.messageId === 'coupon')!.conversions).toBeGreaterThan(0);
    for (const url of urls) {
      const response = await fetch(`${url}/v1/metrics?from=${range.from}&to=${range.to}`);
      expect((await response.json()).messages).toEqual(expected);
    }
  });

  it('never lets racing decides and shows on different processes exceed maxShows', async () => {
    database = await createTestDatabase();
    const urls = await Promise.all([serve(database.url), serve(database.url), serve(database.url)]);
    const decide = async (url: string) => {
      const response = await postJson(`${url}/v1/decide`, { anonymousId: 'racer', url: '/pricing' });
      expect(response.status).toBe(200);
      return response.body as { show: Array<{ id: string }>; skipped: Array<{ id: string; reason: string }> };
    };
    // Each round: a show is collected on one process while the two others decide for the same visitor
    // (each decide writes that visitor's ledger). A lost show would let the coupon show a fourth time.
    for (let round = 0; round < 3; round++) {
      const [, ...decisions] = await Promise.all([
        deliver(urls[round % 3]!, [messageEvent(MESSAGE_EVENTS.shown, 'coupon', { anonymousId: 'racer' })]),
        decide(urls[(round + 1) % 3]!),
        decide(urls[(round + 2) % 3]!),
      ]);
      expect(decisions).toHaveLength(2);
    }
    for (const url of urls) {
      const decision = await decide(url);
      expect(decision.show.map((m) => m.id)).not.toContain('coupon');
      expect(decision.skipped).toContainEqual(expect.objectContaining({ id: 'coupon', reason: 'frequency:maxShows' }));
    }
  });
});

describe('PostgreSQL failures', () => {
  it('stores every batch once although its connections are killed mid-ingest, and reconnects by itself', async () => {
    database = await createTestDatabase();
    const urls = await Promise.all([serve(database.url), serve(database.url)]);
    const batches = Array.from({ length: 60 }, (_, i) => visit(i));
    let delivered = 0;
    const kills: number[] = [];
    const killer = (async () => {
      // Cut every Beckon connection three times while batches are in flight.
      for (const at of [10, 25, 40]) {
        while (delivered < at) await new Promise((resolve) => setTimeout(resolve, 5));
        const killed = await database!.admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
        );
        kills.push(killed.rowCount ?? 0);
      }
    })();
    let next = 0;
    const clients = Array.from({ length: 4 }, async (_, c) => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        await deliver(urls[c % 2]!, batch);
        delivered += 1;
      }
    });
    await Promise.all([killer, ...clients]);
    expect(kills.every((n) => n > 0)).toBe(true);
    const events = batches.flat();
    expect(await count('SELECT count(*) AS n FROM events')).toBe(events.length);
    expect(await count('SELECT count(DISTINCT event_id) AS n FROM events')).toBe(events.length);
  });

  it('answers 503 with Retry-After while the database refuses connections, reports it in /v1/health, and recovers', async () => {
    database = await createTestDatabase();
    const [url] = await Promise.all([serve(database.url)]);
    const { name, server } = database;
    const healthOf = async () => (await (await fetch(`${url}/v1/health`)).json()) as { status: string; database: { ok: boolean; engine: string; error?: string } };
    expect((await healthOf()).database).toMatchObject({ engine: 'postgres', ok: true });

    await server.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await database.admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    const batch = visit(1);
    const refused = await postJson(`${url}/v1/batch`, { batch });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(String(refused.body['error'])).toContain('nothing of this request was stored');
    expect(await count('SELECT count(*) AS n FROM events')).toBe(0);
    const down = await healthOf();
    expect(down).toMatchObject({ status: 'degraded', database: { ok: false } });
    expect(down.database.error).toContain(name);

    await server.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    expect(await deliver(url!, batch)).toMatchObject({ accepted: batch.length, retries: 0 });
    expect((await healthOf()).database.ok).toBe(true);
  });

  it('opens at most --db-pool-size connections (or BECKON_DB_POOL_SIZE), and refuses a size that is not a whole number above 0', async () => {
    database = await createTestDatabase();
    const url = await serve(database.url, {}, ['--db-pool-size', '3']);
    const max = async (at: string) => /beckon_db_pool_connections\{engine="postgres",state="max"\} (\d+)/.exec(await (await fetch(`${at}/metrics`)).text())?.[1];
    expect(await max(url)).toBe('3');
    // Twenty batches at once: they queue for the three connections rather than open more.
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => postJson(`${url}/v1/batch`, { batch: visit(i) })));
    expect(new Set(results.map((r) => r.status))).toEqual(new Set([200]));
    const opened = await count(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'beckon'`);
    expect(opened).toBeGreaterThan(0);
    expect(opened).toBeLessThanOrEqual(3);
    expect(await max(await serve(database.url, { BECKON_DB_POOL_SIZE: '4' }))).toBe('4');
    for (const size of ['0', 'ten']) {
      const run = await beckon(['serve', '--catalog', 'messages.json', '--port', '0', '--db', database.url, '--db-pool-size', size]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`--db-pool-size "${size}" is not a whole number above 0 (default 10)`);
    }
  });

  it('stops at start-up with one sentence naming the URL without its password when the database is unreachable', async () => {
    const run = await beckon(['serve', '--catalog', 'messages.json', '--port', '0'], { BECKON_DATABASE_URL: 'postgres://beckon:s3cret@127.0.0.1:1/beckon' });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^beckon serve: database postgres:\/\/beckon:\*\*\*@127\.0\.0\.1:1\/beckon cannot be reached: [^\n]+\n$/);
    expect(run.stderr).not.toContain('s3cret');
  });
});

describe('beckon migrate', () => {
  it('creates the schema once though two run at once, then finds it current', async () => {
    database = await createTestDatabase();
    const runs = await Promise.all([beckon(['migrate', '--db', database.url]), beckon(['migrate', '--db', database.url])]);
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const outputs = runs.map((r) => r.stdout).sort();
    expect(outputs[0]).toContain('created the schema, version 2');
    expect(outputs[1]).toContain('schema version 2 is current; nothing to do');
    const again = await beckon(['migrate'], { BECKON_DATABASE_URL: database.url });
    expect(again.stdout).toBe(`${database.url}: schema version 2 is current; nothing to do\n`);
    const sqlite = await beckon(['migrate', '--db', 'm.sqlite']);
    expect(sqlite.stdout).toBe('m.sqlite: created the schema, version 3 (tables beckon_meta, people, events, identity_links, ledgers)\n');
  });
});
