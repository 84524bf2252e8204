// GET /v1/metrics over 1,000,000 stored events, without variants and with them (every message an experiment of
// three variants), on SQLite and PostgreSQL: the same events (same seed) but for `variant_id`, each database
// filled through openStore, then one `beckon serve` per database, requests alternating between the two.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openStore } from '@beckon/server';
import { MESSAGE_EVENTS, type BeckonEvent } from '@beckon/tracking';
import { createTestDatabase, type TestDatabase } from '../../packages/server/src/storage/conformance/postgres-database.js';
import { bundleCli } from '../e2e/server-harness.js';
import { formatDuration, printTable } from './table.js';

const CLI = await bundleCli('bench-metrics-cli');
const DAY = 86_400_000;
const START = Date.parse('2026-01-01T00:00:00Z');
const MESSAGES = 20;
const VISITORS = 100_000;
const EVENTS = 1_000_000;
const VARIANTS = [
  { id: 'control-copy', weight: 1 },
  { id: 'short', weight: 1, content: { title: 'Short' } },
  { id: 'bold', weight: 1, content: { title: 'Bold' } },
];

/** mulberry32: a small seeded generator, so both databases get the same events. */
function generator(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The events of test/bench/server.bench.ts (100,000 visitors, 30 days, 60% page views, 17.5% message events,
 * goals and identifies); with `variants`, each message event names the visitor's variant, stable per visitor as
 * assignment makes it.
 */
function* events(variants: boolean): Generator<BeckonEvent> {
  const random = generator(7);
  for (let i = 0; i < EVENTS; i++) {
    const visitor = Math.floor(random() * VISITORS);
    const base = { messageId: `e-${i}`, anonymousId: `anon-${visitor}`, timestamp: new Date(START + Math.floor(random() * 30 * DAY)).toISOString() };
    const roll = random();
    const message = (event: string, extra: Record<string, string>): BeckonEvent => ({
      ...base,
      type: 'track',
      event,
      properties: { message_id: `msg-${Math.floor(random() * MESSAGES)}`, ...(variants ? { variant_id: VARIANTS[visitor % 3]!.id } : {}), ...extra },
    });
    if (roll < 0.6) yield { ...base, type: 'page' };
    else if (roll < 0.72) yield message(MESSAGE_EVENTS.shown, { layout: 'modal' });
    else if (roll < 0.74) yield message(MESSAGE_EVENTS.clicked, { action_id: 'signup', url: '/signup' });
    else if (roll < 0.76) yield message(MESSAGE_EVENTS.dismissed, { via: 'close' });
    else if (roll < 0.775) yield message(MESSAGE_EVENTS.heldOut, {});
    else if (roll < 0.8) yield { ...base, type: 'track', event: 'Order Completed', properties: { total: 42 } };
    else if (roll < 0.97) yield { ...base, type: 'track', event: 'Product Viewed', properties: { sku: `sku-${visitor % 900}` } };
    else yield { ...base, type: 'identify', userId: `user-${visitor}` };
  }
}

const catalog = (variants: boolean) => ({
  messages: Array.from({ length: MESSAGES }, (_, i) => ({
    id: `msg-${i}`,
    holdout: 0.1,
    ...(i % 2 === 0 ? { goal: { event: 'Order Completed', window: '1d' } } : {}),
    ...(variants ? { variants: VARIANTS } : {}),
    layout: { type: 'modal' },
    content: { title: `Message ${i}` },
  })),
});

/** Starts `beckon serve` on a database; resolves once it listens. */
async function serve(dir: string, name: string, db: string, variants: boolean): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(catalog(variants)));
  const child = spawn(process.execPath, [CLI, 'serve', '--catalog', file, '--db', db, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`beckon serve exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /listening on (\S+)/.exec(line);
      if (match) resolve(match[1]!);
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { url, child, stop: () => (child.kill('SIGTERM'), exited) };
}

/** CPU time a process has used so far (user + system), in ms. */
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function fill(db: string, variants: boolean): Promise<number> {
  const store = await openStore(db);
  const started = performance.now();
  let batch: BeckonEvent[] = [];
  for (const event of events(variants)) {
    batch.push(event);
    if (batch.length === 5000) {
      await store.insertBatch(batch);
      batch = [];
    }
  }
  await store.close();
  return (performance.now() - started) / 1000;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

async function compare(engine: 'sqlite' | 'postgres', runs: number): Promise<Array<Record<string, string>>> {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-bench-'));
  const databases: TestDatabase[] = [];
  const target = async (name: string): Promise<string> => {
    if (engine === 'sqlite') return join(dir, `${name}.sqlite`);
    const database = await createTestDatabase();
    databases.push(database);
    return database.url;
  };
  const cases = [
    { name: 'without variants', variants: false, db: await target('without') },
    { name: 'with 3 variants per message', variants: true, db: await target('with') },
  ];
  const filled: number[] = [];
  for (const c of cases) filled.push(await fill(c.db, c.variants));
  // What autovacuum does soon after a bulk fill (visibility map, statistics).
  for (const database of databases) await database.admin.query('VACUUM ANALYZE');
  const servers = await Promise.all(cases.map((c) => serve(dir, c.name.replace(/\W+/g, '-'), c.db, c.variants)));
  const query = `from=${START}&to=${START + 30 * DAY}`;
  const wall = cases.map((): number[] => []);
  const cpu = cases.map((): number[] => []);
  for (let run = 0; run <= runs; run++) {
    for (const [i, server] of servers.entries()) {
      const before = cpuOf(server.child.pid!);
      const started = performance.now();
      const response = await fetch(`${server.url}/v1/metrics?${query}`);
      const body = (await response.json()) as { messages: Array<{ variants?: unknown[] }> };
      if (response.status !== 200 || body.messages.length !== MESSAGES) throw new Error(`GET /v1/metrics answered ${response.status}`);
      if (cases[i]!.variants !== (body.messages[0]!.variants?.length === VARIANTS.length)) throw new Error('variants missing or unexpected');
      // The first run warms the caches.
      if (run === 0) continue;
      wall[i]!.push(performance.now() - started);
      cpu[i]!.push(cpuOf(server.child.pid!) - before);
    }
  }
  for (const server of servers) await server.stop();
  for (const database of databases) await database.drop();
  rmSync(dir, { recursive: true, force: true });
  return cases.map((c, i) => ({
    engine: engine === 'sqlite' ? 'SQLite' : 'PostgreSQL',
    events: c.name,
    'median (wall)': formatDuration(median(wall[i]!)),
    'min (wall)': formatDuration(Math.min(...wall[i]!)),
    'vs without (median wall)': i === 0 ? '' : `${((median(wall[i]!) / median(wall[0]!) - 1) * 100).toFixed(0)}%`,
    'Beckon CPU (median)': formatDuration(median(cpu[i]!)),
    'filled in': `${filled[i]!.toFixed(0)} s`,
  }));
}

const engines = (process.env['BENCH_ENGINES'] ?? 'sqlite,postgres').split(',') as Array<'sqlite' | 'postgres'>;
const rows = [];
for (const engine of engines) rows.push(...(await compare(engine, 9)));
printTable(`GET /v1/metrics over 1,000,000 stored events, 30 days, 20 messages, without and with variants (9 runs each, alternating; load average ${loadAverage()})`, rows);
