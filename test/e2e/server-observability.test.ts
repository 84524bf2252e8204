// What an operator watches: GET /metrics scraped from a real server after real traffic, and
// GET /v1/ready next to /v1/health.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listen, type RunningServer } from '@beckon/server';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../packages/server/src/storage/conformance/postgres-database.js';
import { makeEvent, postJson, startTestServer, TEST_CATALOG, type TestServer } from './server-harness.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Every sample of a Prometheus text exposition, as `name{label="value",...}` → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    out.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return out;
}

async function scrape(headers: Record<string, string> = { authorization: 'Bearer read-secret' }) {
  const response = await fetch(`${server!.url}/metrics`, { headers });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

const WRITE = { 'x-beckon-write-key': 'write-secret' };

describe('GET /metrics', () => {
  it('counts accepted, duplicate and refused events by reason, times batch and decide, and reports the database', async () => {
    server = await startTestServer({ writeKey: 'write-secret', readKey: 'read-secret' });
    const batch = { batch: [makeEvent(), makeEvent(), makeEvent()] };
    expect((await postJson(`${server.url}/v1/batch`, batch, WRITE)).body).toEqual({ accepted: 3, duplicates: 0 });
    // A replay of two of them and one new event.
    const replay = { batch: [batch.batch[0], batch.batch[1], makeEvent()] };
    expect((await postJson(`${server.url}/v1/batch`, replay, WRITE)).body).toEqual({ accepted: 1, duplicates: 2 });
    // One invalid event beside a valid one: the valid one is stored, the other refused alone.
    const mixed = { batch: [makeEvent(), { ...makeEvent(), timestamp: 'yesterday' }] };
    expect((await postJson(`${server.url}/v1/batch`, mixed, WRITE)).body).toMatchObject({ accepted: 1, duplicates: 0 });
    // Segment's single-event endpoints are the collector too.
    expect((await postJson(`${server.url}/v1/track`, { anonymousId: 'v9', event: 'Signed Up' }, WRITE)).body).toMatchObject({ accepted: 1 });
    // Refused whole: only invalid events (2), malformed JSON, no write key, a body too large.
    const invalid = { batch: [{ ...makeEvent(), timestamp: 'yesterday' }, { ...makeEvent(), type: 'nope' }] };
    expect((await postJson(`${server.url}/v1/batch`, invalid, WRITE)).status).toBe(400);
    expect((await postJson(`${server.url}/v1/batch`, '{"batch": [', WRITE)).status).toBe(400);
    expect((await postJson(`${server.url}/v1/batch`, batch)).status).toBe(401);
    expect((await postJson(`${server.url}/v1/batch`, 'x'.repeat(600 * 1024), WRITE)).status).toBe(413);
    for (const path of ['/pricing', '/']) {
      expect((await postJson(`${server.url}/v1/decide`, { anonymousId: 'v1', url: `https://shop.example${path}` }, WRITE)).status).toBe(200);
    }
    expect((await postJson(`${server.url}/v1/decide`, { url: 'https://shop.example/' }, WRITE)).status).toBe(400);

    const { status, type, text } = await scrape();
    expect(status).toBe(200);
    expect(type).toBe('text/plain; version=0.0.4; charset=utf-8');
    const s = samples(text);
    expect(s.get('beckon_events_accepted_total')).toBe(6);
    expect(s.get('beckon_events_duplicate_total')).toBe(2);
    expect(s.get('beckon_events_rejected_total{reason="invalid"}')).toBe(3);
    expect([...s.keys()].filter((key) => key.startsWith('beckon_events_rejected_total'))).toEqual(['beckon_events_rejected_total{reason="invalid"}']);
    expect(s.get('beckon_batches_rejected_total{reason="invalid"}')).toBe(1);
    expect(s.get('beckon_batches_rejected_total{reason="malformed"}')).toBe(1);
    expect(s.get('beckon_batches_rejected_total{reason="unauthorized"}')).toBe(1);
    expect(s.get('beckon_batches_rejected_total{reason="too_large"}')).toBe(1);
    expect(s.get('beckon_batch_duration_seconds_count{status="200"}')).toBe(4);
    expect(s.get('beckon_batch_duration_seconds_count{status="400"}')).toBe(2);
    expect(s.get('beckon_batch_duration_seconds_bucket{le="+Inf",status="200"}')).toBe(4);
    expect(s.get('beckon_batch_duration_seconds_sum{status="200"}')).toBeGreaterThan(0);
    expect(s.get('beckon_decide_duration_seconds_count{status="200"}')).toBe(2);
    expect(s.get('beckon_decide_duration_seconds_count{status="400"}')).toBe(1);
    // SQLite: its connections, no outbox.
    expect(s.get('beckon_db_up{engine="sqlite"}')).toBe(1);
    expect(s.get('beckon_db_pool_connections{engine="sqlite",state="open"}')).toBeGreaterThan(0);
    expect(s.get('beckon_db_pool_waiting_requests{engine="sqlite"}')).toBe(0);
    expect(text).not.toContain('beckon_outbox_');
    // Node's process metrics.
    expect(s.get('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(s.get('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('asks for the read key when one is set, as /v1/metrics does', async () => {
    server = await startTestServer({ readKey: 'read-secret' });
    expect((await scrape({})).status).toBe(401);
    expect((await scrape({ authorization: 'Bearer wrong' })).status).toBe(401);
    const basic = `Basic ${Buffer.from('prometheus:read-secret').toString('base64')}`;
    expect((await scrape({ authorization: basic })).status).toBe(200);
  });

  it('keeps each server its own numbers: two servers in one process never add up', async () => {
    server = await startTestServer();
    const other = await startTestServer();
    try {
      await postJson(`${other.url}/v1/batch`, { batch: [makeEvent()] });
      await postJson(`${server.url}/v1/batch`, { batch: [makeEvent(), makeEvent()] });
      expect(samples((await scrape({})).text).get('beckon_events_accepted_total')).toBe(2);
    } finally {
      await other.close();
    }
  });
});

describe('GET /v1/ready', () => {
  it('answers 200 with the database state while the database answers, like /v1/health', async () => {
    server = await startTestServer();
    const response = await fetch(`${server.url}/v1/ready`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({ status: 'ready', database: { ok: true, engine: 'sqlite' } });
    expect((await fetch(`${server.url}/v1/health`)).status).toBe(200);
  });
});

describe('GET /v1/ready on PostgreSQL', () => {
  let database: TestDatabase | undefined;
  let running: RunningServer | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
    await database?.drop();
    database = undefined;
  });

  it('answers 503 while the database refuses connections, while /v1/health stays 200, and 200 again once it is back', async () => {
    database = await createTestDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'beckon-ready-'));
    writeFileSync(join(dir, 'messages.json'), JSON.stringify(TEST_CATALOG));
    running = await listen({ port: 0, db: database.url, catalog: join(dir, 'messages.json'), log: () => {} });
    rmSync(dir, { recursive: true, force: true });
    const ready = async () => {
      const response = await fetch(`${running!.url}/v1/ready`);
      return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as { status: string; database: { ok: boolean; error?: string } } };
    };
    const up = async () => samples(await (await fetch(`${running!.url}/metrics`)).text()).get('beckon_db_up{engine="postgres"}');
    expect(await ready()).toMatchObject({ status: 200, body: { status: 'ready', database: { ok: true } } });
    expect(await up()).toBe(1);
    const scraped = samples(await (await fetch(`${running.url}/metrics`)).text());
    expect(scraped.get('beckon_db_pool_connections{engine="postgres",state="max"}')).toBe(10);

    // The database goes away: no new connection is allowed, and the open ones are cut.
    await database.server.query(`ALTER DATABASE ${database.name} ALLOW_CONNECTIONS false`);
    await database.admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    const down = await ready();
    expect(down).toMatchObject({ status: 503, retryAfter: '5', body: { status: 'unavailable', database: { ok: false } } });
    expect(down.body.database.error).toContain(database.name);
    expect((await fetch(`${running.url}/v1/health`)).status).toBe(200);
    expect(await up()).toBe(0);
    const refused = await postJson(`${running.url}/v1/batch`, { batch: [makeEvent(), makeEvent()] });
    expect(refused.status).toBe(503);
    const counted = samples(await (await fetch(`${running.url}/metrics`)).text());
    expect(counted.get('beckon_events_rejected_total{reason="unavailable"}')).toBe(2);
    expect(counted.get('beckon_batches_rejected_total{reason="unavailable"}')).toBe(1);
    expect(counted.get('beckon_batch_duration_seconds_count{status="503"}')).toBe(1);

    await database.server.query(`ALTER DATABASE ${database.name} ALLOW_CONNECTIONS true`);
    expect(await ready()).toMatchObject({ status: 200, body: { status: 'ready' } });
    expect(await up()).toBe(1);
  });
});
