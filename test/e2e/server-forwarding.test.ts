// Forwarding over real HTTP on loopback: a webhook receiver that fails one request in three and is
// stopped for a while gets every stored event, in storage order, with its messageId and the key; a
// server killed mid-way loses nothing; two processes on one PostgreSQL database share the work.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BeckonEvent } from '@beckon/tracking';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listeningUrl } from '../listening.js';
import { until } from '../waiting.js';
import { createTestDatabase, type TestDatabase } from '../../packages/server/src/storage/conformance/postgres-database.js';
import { bundleCli, makeEvent, messageEvent, postJson, startTestServer, storedEvents, type TestServer } from './server-harness.js';
import { deduplicated, startReceiver, type WebhookReceiver } from './webhook-receiver.js';

const FAST = { minRetryMs: 20, maxRetryMs: 200, pollMs: 50 };
const KEY = 'fw-secret-key';
const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

interface HealthDestination {
  destination: string;
  pending: number;
  oldestPendingSeconds: number;
  forwarding: boolean;
  delivered: number;
  lastError?: string;
  lastDeliveredAt?: string;
}
const health = async (url: string) => (await (await fetch(`${url}/v1/health`)).json()) as { forwarding?: HealthDestination[] };

/** A mix of anonymous and identified events, message events among them. */
function events(count: number, prefix: string): BeckonEvent[] {
  return Array.from({ length: count }, (_, i) => {
    const anonymousId = `${prefix}-visitor-${i % 4}`;
    if (i % 5 === 0) return messageEvent('Message Shown', 'coupon', { anonymousId });
    if (i % 7 === 0) return makeEvent({ type: 'identify', anonymousId, userId: `${prefix}-user-${i % 3}` });
    return makeEvent({ type: i % 2 ? 'track' : 'page', anonymousId, ...(i % 2 ? { event: 'Product Viewed' } : { name: 'Pricing' }) } as Partial<BeckonEvent>);
  });
}

async function send(url: string, batch: BeckonEvent[]): Promise<void> {
  const response = await postJson(`${url}/v1/batch`, { batch });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

const receivers: WebhookReceiver[] = [];
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await Promise.all(receivers.splice(0).map((r) => r.stop().catch(() => {})));
});

describe('forwarding to a flaky webhook', () => {
  it('delivers every stored event at least once, in storage order, through failures and an outage', async () => {
    const receiver = await startReceiver({ failEvery: 3 });
    receivers.push(receiver);
    const server = await startTestServer({ forward: [`${receiver.url}/v1/batch#${KEY}`], forwarding: { ...FAST, batchSize: 7 } });
    servers.push(server);

    const first = events(60, 'a');
    for (let i = 0; i < first.length; i += 6) await send(server.url, first.slice(i, i + 6));
    // A replay is stored once, so forwarded once more at most by retries, never as a new event.
    await send(server.url, first.slice(0, 6));
    await receiver.waitFor(first.map((e) => e.messageId));

    // The destination goes down; events keep being stored, and health shows the lag and the error.
    await receiver.stop();
    const second = events(45, 'b');
    for (let i = 0; i < second.length; i += 5) await send(server.url, second.slice(i, i + 5));
    const down = await until(
      async () => (await health(server.url)).forwarding?.[0],
      (destination) => destination?.lastError !== undefined && destination.pending > 0,
      'health to report the outage',
      30_000,
    );
    if (!down) throw new Error('no destination in /v1/health');
    expect(down).toMatchObject({ destination: `${receiver.url}/v1/batch`, forwarding: true });
    expect(down.lastError).toMatch(/could not be reached/);
    expect(JSON.stringify(await health(server.url))).not.toContain(KEY);
    const scraped = await (await fetch(`${server.url}/metrics`)).text();
    expect(Number(/beckon_outbox_pending_events\{engine="sqlite"\} (\d+)/.exec(scraped)?.[1])).toBeGreaterThan(0);
    expect(server.logs.map((l) => l.message).join('\n')).not.toContain(KEY);

    await receiver.start();
    const all = [...first, ...second];
    await receiver.waitFor(all.map((e) => e.messageId));

    const storedIds = storedEvents(server.dbFile).map((e) => e.event_id);
    // After dedupe: exactly the stored events, in the order they were stored.
    expect(deduplicated(receiver.delivered())).toEqual(storedIds);
    expect(storedIds).toEqual(all.map((e) => e.messageId));
    // Every third request failed, and was sent again; every request carried the key as Segment does.
    expect(receiver.requests.filter((r) => r.status === 503).length).toBeGreaterThan(3);
    expect(new Set(receiver.requests.map((r) => r.authorization))).toEqual(new Set([basic(KEY)]));
    expect(Math.max(...receiver.requests.map((r) => r.batch.length))).toBeLessThanOrEqual(7);
    // The events as they were stored, anonymous ones included, with a sentAt.
    const received = new Map(receiver.requests.flatMap((r) => r.batch.map((e) => [e.messageId, e] as const)));
    expect(received.get(first[1]!.messageId)).toEqual(first[1]);
    expect(receiver.requests[0]!.sentAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    const after = await until(
      async () => (await health(server.url)).forwarding?.[0],
      (destination) => destination?.pending === 0 && destination.delivered >= all.length,
      'the backlog to drain',
      30_000,
    );
    expect(after?.lastError).toBeUndefined();
    expect(after?.oldestPendingSeconds).toBe(0);
  });
});

describe('beckon serve --forward', () => {
  let cli: string;
  let dir: string;
  const children: ChildProcess[] = [];
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    cli = await bundleCli('test-cli-forward');
    dir = mkdtempSync(join(tmpdir(), 'beckon-forward-'));
    writeFileSync(join(dir, 'messages.json'), JSON.stringify({ messages: [] }));
  });
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    await database?.drop();
    database = undefined;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Starts `beckon serve` forwarding to `forward`, given as --forward or, with `viaEnv`, as BECKON_FORWARD. */
  function serve(db: string, forward: string, viaEnv = false): { child: ChildProcess; url: Promise<string> } {
    const args = ['serve', '--catalog', 'messages.json', '--port', '0', '--db', db, ...(viaEnv ? [] : ['--forward', forward]),
      '--forward-retry-min', '20', '--forward-retry-max', '200'];
    const child = spawn(process.execPath, [cli, ...args], { cwd: dir, env: { ...process.env, ...(viaEnv ? { BECKON_FORWARD: forward } : {}) } });
    children.push(child);
    return { child, url: listeningUrl(child) };
  }
  const killed = (child: ChildProcess) => new Promise((resolve) => child.once('close', resolve));

  it('loses nothing when the server is killed while its destination is down', async () => {
    const receiver = await startReceiver({ failEvery: 3 });
    receivers.push(receiver);
    await receiver.stop();
    const db = join(dir, 'restart.sqlite');
    const first = serve(db, `${receiver.url}/hook#${KEY}`);
    const url = await first.url;
    const sent = events(40, 'r');
    for (let i = 0; i < sent.length; i += 8) await send(url, sent.slice(i, i + 8));
    // Killed without warning: the outbox was written with each batch, before its 200.
    const gone = killed(first.child);
    first.child.kill('SIGKILL');
    await gone;

    await receiver.start();
    // The same destination from the environment this time: the key stays off the command line.
    const second = serve(db, `${receiver.url}/hook#${KEY}`, true);
    const url2 = await second.url;
    const more = events(10, 's');
    await send(url2, more);
    const all = [...sent, ...more];
    await receiver.waitFor(all.map((e) => e.messageId));
    expect(deduplicated(receiver.delivered())).toEqual(all.map((e) => e.messageId));
    expect(new Set(receiver.requests.map((r) => r.authorization))).toEqual(new Set([basic(KEY)]));
  });

  it('shares the work between two processes on one PostgreSQL database, and one takes over when the other dies', async () => {
    database = await createTestDatabase();
    const receiver = await startReceiver({ failEvery: 3 });
    receivers.push(receiver);
    const hook = `${receiver.url}/pg#${KEY}`;
    const a = serve(database.url, hook);
    const b = serve(database.url, hook);
    const urls = await Promise.all([a.url, b.url]);
    const sent = events(200, 'p');
    for (let i = 0; i < sent.length; i += 10) await send(urls[(i / 10) % 2]!, sent.slice(i, i + 10));
    await receiver.waitFor(sent.map((e) => e.messageId));
    const { rows } = await database.admin.query<{ event_id: string }>('SELECT event_id FROM events ORDER BY seq');
    expect(deduplicated(receiver.delivered())).toEqual(rows.map((r) => r.event_id));
    // At least once, not systematically twice: only the failed third of the requests is sent again.
    expect(receiver.delivered().length).toBeLessThan(sent.length * 1.5);

    // One of them forwards; kill it, and the other takes over without losing what it left.
    const states = await Promise.all(urls.map(async (url) => (await health(url)).forwarding![0]!));
    expect(states.filter((s) => s.forwarding)).toHaveLength(1);
    const holder = states[0]!.forwarding ? a : b;
    const other = states[0]!.forwarding ? urls[1]! : urls[0]!;

    // The process that does not forward shows what the one that does reports: deliveries, and an outage.
    await until(async () => (await health(other)).forwarding?.[0], (d) => d?.lastDeliveredAt !== undefined, 'the last delivery on the other process', 30_000);
    await receiver.stop();
    const during = events(10, 'o');
    await send(other, during);
    const seen = await until(async () => (await health(other)).forwarding?.[0], (d) => d?.lastError !== undefined, 'the outage on the other process', 30_000);
    expect(seen).toMatchObject({ forwarding: false, lastError: expect.stringMatching(/could not be reached/) });
    await receiver.start();
    await receiver.waitFor(during.map((e) => e.messageId));
    const gone = killed(holder.child);
    holder.child.kill('SIGKILL');
    await gone;
    const more = events(30, 'q');
    for (let i = 0; i < more.length; i += 10) await send(other, more.slice(i, i + 10));
    await receiver.waitFor(more.map((e) => e.messageId));
    const after = await database.admin.query<{ event_id: string }>('SELECT event_id FROM events ORDER BY seq');
    expect(deduplicated(receiver.delivered())).toEqual(after.rows.map((r) => r.event_id));
    // Delivered, then removed from the outbox: health shows it drained on the process that took over.
    const drained = await until(async () => (await health(other)).forwarding?.[0], (destination) => destination?.pending === 0, 'the outbox to drain', 30_000);
    expect(drained?.forwarding).toBe(true);
  });
});
