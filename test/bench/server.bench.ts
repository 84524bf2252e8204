// @beckon/server on each engine, side by side: ingest through POST /v1/batch (batches of 100 from
// concurrent clients, plain and gzip, each server in its own process) on SQLite, PostgreSQL with one
// process and PostgreSQL with two; forwarding to a receiver on loopback (draining a backlog, and ingest
// while it forwards); POST /v1/decide p50/p99 under load; GET /v1/metrics over 1,000,000 stored events.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer as createHttpServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { gzipSync } from 'node:zlib';
import { openStore } from '@beckon/server';
import { createTestDatabase, type TestDatabase } from '../../packages/server/src/storage/conformance/postgres-database.js';
import { MESSAGE_EVENTS, type BeckonEvent } from '@beckon/tracking';
import { bundleCli } from '../e2e/server-harness.js';
import { formatDuration, printTable } from './table.js';

// The CLI bundled from the sources and run by plain node, so the server's memory is its own.
const CLI = await bundleCli('bench-cli');
const DAY = 86_400_000;
const START = Date.parse('2026-01-01T00:00:00Z');
const MESSAGES = 20;
const VISITORS = 100_000;

// mulberry32: a small seeded generator, so every run measures the same events.
let seed = 7;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/**
 * Events from 100,000 visitors over 30 days, each from a random visitor (the worst case for index
 * locality): 60% page views, 12% Message Shown, 2% each Clicked and Dismissed, 1.5% Held Out,
 * 2.5% Order Completed, 17% other track events, 3% identify.
 */
function makeEvent(): BeckonEvent {
  const visitor = Math.floor(random() * VISITORS);
  const base = { messageId: randomUUID(), anonymousId: `anon-${visitor}`, timestamp: new Date(START + Math.floor(random() * 30 * DAY)).toISOString() };
  const context = { library: { name: '@beckon/web', version: '0.1.0' }, page: { url: `https://shop.example/products/${visitor % 500}`, path: `/products/${visitor % 500}` } };
  const roll = random();
  const message = (event: string, extra: Record<string, string>) => ({ ...base, type: 'track' as const, event, context, properties: { message_id: `msg-${Math.floor(random() * MESSAGES)}`, ...extra } });
  if (roll < 0.6) return { ...base, type: 'page', context };
  if (roll < 0.72) return message(MESSAGE_EVENTS.shown, { layout: 'modal' });
  if (roll < 0.74) return message(MESSAGE_EVENTS.clicked, { action_id: 'signup', url: '/signup' });
  if (roll < 0.76) return message(MESSAGE_EVENTS.dismissed, { via: 'close' });
  if (roll < 0.775) return message(MESSAGE_EVENTS.heldOut, {});
  if (roll < 0.8) return { ...base, type: 'track', event: 'Order Completed', context, properties: { total: 42 } };
  if (roll < 0.97) return { ...base, type: 'track', event: 'Product Viewed', context, properties: { sku: `sku-${visitor % 900}` } };
  return { ...base, type: 'identify', userId: `user-${visitor}` };
}

const catalog = {
  messages: Array.from({ length: MESSAGES }, (_, i) => ({
    id: `msg-${i}`,
    pages: { include: ['/products/**'] },
    frequency: { maxShows: 3, caps: [{ max: 1, per: 'session' }] },
    ...(i % 2 === 0 ? { goal: { event: 'Order Completed', window: '1d' } } : {}),
    layout: { type: 'modal' },
    content: { title: `Message ${i}`, body: 'Hello.' },
  })),
};

/** Starts `beckon serve` in its own process; resolves with its URL once it listens. */
async function serve(dir: string, db: string, args: string[] = []): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const catalogFile = join(dir, 'messages.json');
  writeFileSync(catalogFile, JSON.stringify(catalog));
  const child = spawn(process.execPath, [CLI, 'serve', '--catalog', catalogFile, '--db', db, '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`beckon serve exited with ${code}`)));
    lines.on('line', (line) => {
      const match = /listening on (\S+)/.exec(line);
      if (match) resolve(match[1]!);
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { url, child, stop: () => (child.kill('SIGTERM'), exited) };
}

/** Resident memory of a process, from /proc: now and the peak. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** CPU time a process has used so far (user + system), in ms; /proc counts it in 1/100 s ticks. */
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** POSTs a body (gzipped ones with Content-Encoding: gzip) and resolves with the status once the response is read. */
function post(agent: Agent, url: string, body: Buffer, gzip: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', 'content-length': body.length, ...(gzip ? { 'content-encoding': 'gzip' } : {}) };
    const req = request(url, { method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A database for one measurement: a fresh SQLite file, or a fresh PostgreSQL database. */
interface BenchDatabase {
  db: string;
  /** After a bulk fill: what autovacuum does soon after one on PostgreSQL (visibility map, statistics). */
  settle(): Promise<void>;
  drop(): Promise<void>;
}

async function freshDatabase(engine: 'sqlite' | 'postgres', dir: string, name: string): Promise<BenchDatabase> {
  if (engine === 'sqlite') return { db: join(dir, `${name}.sqlite`), settle: async () => {}, drop: async () => {} };
  const database: TestDatabase = await createTestDatabase();
  return { db: database.url, settle: () => database.admin.query('VACUUM ANALYZE').then(() => {}), drop: () => database.drop() };
}

/** POSTs batches of 100 events from `clients` concurrent clients, spread round-robin over `processes` servers. */
async function ingest(engine: 'sqlite' | 'postgres', processes: number, clients: number, batches: number, gzip = false): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-bench-'));
  const database = await freshDatabase(engine, dir, 'ingest');
  // One after the other: the first migrates, the others find the schema current.
  const servers: Array<Awaited<ReturnType<typeof serve>>> = [];
  for (let i = 0; i < processes; i++) servers.push(await serve(dir, database.db));
  // Bodies are made (and gzipped) before the clock starts, so the load generator spends its time sending.
  const encode = (text: string) => (gzip ? gzipSync(text) : Buffer.from(text));
  const texts = Array.from({ length: batches }, () => JSON.stringify({ batch: Array.from({ length: 100 }, makeEvent) }));
  const bodies = texts.map(encode);
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const urls = servers.map((server) => `${server.url}/v1/batch`);
  for (const [i, text] of texts.slice(0, 20).entries()) {
    await post(agent, urls[i % processes]!, encode(text.replace(/"messageId":"/g, '"messageId":"warm-')), gzip);
  }
  const latencies: number[] = [];
  let next = 0;
  const cpu = () => servers.reduce((sum, server) => sum + cpuOf(server.child.pid!), 0);
  const cpuBefore = cpu();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const sent = performance.now();
        const status = await post(agent, urls[c % processes]!, body, gzip);
        latencies.push(performance.now() - sent);
        if (status !== 200) throw new Error(`POST /v1/batch answered ${status}`);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpuPerEvent = (cpu() - cpuBefore) / (batches * 100);
  const peak = Math.max(...servers.map((server) => memoryOf(server.child.pid!).peak));
  agent.destroy();
  for (const server of servers) await server.stop();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  return {
    engine: engine === 'sqlite' ? 'SQLite' : `PostgreSQL, ${processes} process${processes > 1 ? 'es' : ''}`,
    body: gzip ? `gzip (${kb(bodies)})` : `plain (${kb(bodies)})`,
    clients: String(clients),
    events: (batches * 100).toLocaleString('en-US'),
    'events/s': Math.round((batches * 100) / elapsed).toLocaleString('en-US'),
    p50: formatDuration(percentile(latencies, 50)),
    p99: formatDuration(percentile(latencies, 99)),
    // What the Beckon processes themselves spend (not PostgreSQL's), whatever else the machine is doing.
    'Beckon CPU per event': formatDuration(cpuPerEvent),
    'RSS (peak, per process)': mb(peak),
  };
}

/** POST /v1/decide from `clients` concurrent clients for visitors who already have shows stored. */
async function decideLatency(engine: 'sqlite' | 'postgres', clients: number, requests: number): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-bench-'));
  const database = await freshDatabase(engine, dir, 'decide');
  const server = await serve(dir, database.db);
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  // 2,000 visitors with some history (their ledgers exist), then decides spread over them.
  for (let i = 0; i < 20; i++) {
    const batch = Array.from({ length: 100 }, (_, j) => ({ ...makeEvent(), type: 'track', event: MESSAGE_EVENTS.shown, anonymousId: `anon-${i * 100 + j}`, properties: { message_id: `msg-${j % MESSAGES}`, layout: 'modal' } }));
    await post(agent, `${server.url}/v1/batch`, Buffer.from(JSON.stringify({ batch })), false);
  }
  const url = `${server.url}/v1/decide`;
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < requests) {
        const body = JSON.stringify({ anonymousId: `anon-${next++ % 2000}`, url: `https://shop.example/products/${next % 500}` });
        const sent = performance.now();
        const status = await post(agent, url, Buffer.from(body), false);
        latencies.push(performance.now() - sent);
        if (status !== 200) throw new Error(`POST /v1/decide answered ${status}`);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  await server.stop();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  return {
    engine: engine === 'sqlite' ? 'SQLite' : 'PostgreSQL',
    clients: String(clients),
    requests: requests.toLocaleString('en-US'),
    'decides/s': Math.round(requests / elapsed).toLocaleString('en-US'),
    p50: formatDuration(percentile(latencies, 50)),
    p99: formatDuration(percentile(latencies, 99)),
  };
}

/** The mean size of the bodies, in kB. */
const kb = (bodies: readonly Buffer[]) => `${(bodies.reduce((sum, body) => sum + body.length, 0) / bodies.length / 1024).toFixed(1)} kB`;

const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
// BENCH_PARTS=ingest,forwarding,decide,metrics (any of them, comma-separated) runs only those parts.
const parts = new Set((process.env['BENCH_PARTS'] ?? 'ingest,forwarding,decide,metrics').split(',').map((part) => part.trim()));
if (parts.has('ingest')) {
  const ingestRows = [];
  for (const clients of [4, 8]) {
    ingestRows.push(await ingest('sqlite', 1, clients, 1500), await ingest('postgres', 1, clients, 1500), await ingest('postgres', 2, clients, 1500));
  }
  ingestRows.push(await ingest('sqlite', 1, 8, 1500, true), await ingest('postgres', 1, 8, 1500, true));
  printTable(`POST /v1/batch: batches of 100 events, servers in child processes, the database on this machine (load average ${loadAverage()})`, ingestRows);
}

/** A receiver on loopback that takes every batch (200) and counts its events; `listen` again after `close`. */
async function startReceiver(): Promise<{ url: string; received(): number; close(): Promise<void>; listen(): Promise<void> }> {
  let received = 0;
  let server: Server;
  let port = 0;
  const listen = async () => {
    server = createHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received += (JSON.parse(Buffer.concat(chunks).toString()) as { batch: unknown[] }).batch.length;
        res.end('{"success":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  };
  await listen();
  return {
    url: `http://127.0.0.1:${port}/v1/batch`,
    received: () => received,
    close: () => new Promise<void>((resolve) => (server.close(() => resolve()), server.closeAllConnections())),
    listen,
  };
}

/** Waits until `done()` is true, checking every 20 ms. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 20));
}

/**
 * Forwarding on one engine: 50,000 events stored while the receiver is down are drained once it is up
 * (forwarding throughput); then 50,000 more are ingested by 8 clients while forwarding runs, against
 * the same ingest with no destination.
 */
async function forwarding(engine: 'sqlite' | 'postgres'): Promise<Array<Record<string, string>>> {
  const name = engine === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  const receiver = await startReceiver();
  await receiver.close();
  const dir = mkdtempSync(join(tmpdir(), 'beckon-bench-'));
  const database = await freshDatabase(engine, dir, 'forward');
  const server = await serve(dir, database.db, ['--forward', `${receiver.url}#bench-key`]);
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const send = async (batches: number) => {
    const bodies = Array.from({ length: batches }, () => Buffer.from(JSON.stringify({ batch: Array.from({ length: 100 }, makeEvent) })));
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < bodies.length) {
        const status = await post(agent, `${server.url}/v1/batch`, bodies[next++]!, false);
        if (status !== 200) throw new Error(`POST /v1/batch answered ${status}`);
      }
    }));
    return (batches * 100) / ((performance.now() - started) / 1000);
  };
  await send(500);
  const draining = performance.now();
  await receiver.listen();
  await until(() => receiver.received() >= 50_000);
  const drained = 50_000 / ((performance.now() - draining) / 1000);
  const cpuBefore = cpuOf(server.child.pid!);
  const forwardingStarted = performance.now();
  const ingestRate = await send(500);
  await until(() => receiver.received() >= 100_000);
  const forwardRate = 50_000 / ((performance.now() - forwardingStarted) / 1000);
  const cpuPerEvent = (cpuOf(server.child.pid!) - cpuBefore) / 50_000;
  agent.destroy();
  await server.stop();
  await receiver.close();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
  return [
    { engine: name, what: 'drain a backlog of 50,000 (receiver was down)', 'ingest events/s': '—', 'forwarded events/s': Math.round(drained).toLocaleString('en-US'), 'Beckon CPU per event': '—' },
    {
      engine: name, what: '50,000 ingested by 8 clients while forwarding', 'ingest events/s': Math.round(ingestRate).toLocaleString('en-US'),
      'forwarded events/s': Math.round(forwardRate).toLocaleString('en-US'), 'Beckon CPU per event': formatDuration(cpuPerEvent),
    },
  ];
}

if (parts.has('forwarding')) {
  const forwardRows = [...(await forwarding('sqlite')), ...(await forwarding('postgres'))];
  printTable(`Forwarding to a receiver on loopback, batches of 100, one server process (load average ${loadAverage()})`, forwardRows);
}

if (parts.has('decide')) {
  const decideRows = [await decideLatency('sqlite', 8, 4000), await decideLatency('postgres', 8, 4000)];
  printTable(`POST /v1/decide: 8 concurrent clients over 2,000 visitors with stored shows, 20 messages (load average ${loadAverage()})`, decideRows);
}

// Metrics: 1,000,000 events stored through the library (the same code as POST /v1/batch), then
// GET /v1/metrics on a server over that database, for each engine.
async function metricsOverMillion(engine: 'sqlite' | 'postgres'): Promise<Array<Record<string, string>>> {
  seed = 7; // the same million events on each engine
  const dir = mkdtempSync(join(tmpdir(), 'beckon-bench-'));
  const database = await freshDatabase(engine, dir, 'metrics');
  const store = await openStore(database.db);
  const filling = performance.now();
  for (let i = 0; i < 1_000_000; i += 5000) await store.insertBatch(Array.from({ length: 5000 }, makeEvent));
  await store.close();
  const fillSeconds = (performance.now() - filling) / 1000;
  await database.settle();
  const server = await serve(dir, database.db);
  const rows: Array<Record<string, string>> = [];
  const ranges = { '30 days (every event)': `from=${START}&to=${START + 30 * DAY}`, '1 day': `from=${START + 10 * DAY}&to=${START + 11 * DAY}` };
  for (const [name, query] of Object.entries(ranges)) {
    const times: number[] = [];
    let messages = 0;
    for (let run = 0; run < 6; run++) {
      const started = performance.now();
      const response = await fetch(`${server.url}/v1/metrics?${query}`);
      const body = (await response.json()) as { messages: unknown[] };
      if (run > 0) times.push(performance.now() - started);
      messages = body.messages.length;
    }
    times.sort((a, b) => a - b);
    rows.push({
      engine: engine === 'sqlite' ? 'SQLite' : 'PostgreSQL', range: name, median: formatDuration(percentile(times, 50)), min: formatDuration(times[0]!),
      max: formatDuration(times.at(-1)!), messages: String(messages), 'filled in': `${fillSeconds.toFixed(0)} s`, 'server RSS': mb(memoryOf(server.child.pid!).rss),
    });
  }
  await server.stop();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
  return rows;
}

if (parts.has('metrics')) {
  const metricsRows = [...(await metricsOverMillion('sqlite')), ...(await metricsOverMillion('postgres'))];
  printTable(`GET /v1/metrics over 1,000,000 stored events (100,000 visitors, 20 messages; filled through openStore, batches of 5,000; load average ${loadAverage()})`, metricsRows);
}
