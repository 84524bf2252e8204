// The retention sweep over 1,000,000 stored events, on each engine: how long a pass takes with the
// server's own pacing (startRetentionSweep), and the ingest throughput (batches of 100 from 4 concurrent
// writers, each checked for erased people first, as the collector does) before and while it runs.
// Then a pass with --retain-events, which on PostgreSQL drops a whole month's partition.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MESSAGE_EVENTS, type BeckonEvent } from '@beckon/tracking';
import { startRetentionSweep, DEFAULT_RETAIN_ANONYMOUS_MS } from '../../packages/server/src/retention.js';
import type { Storage } from '../../packages/server/src/storage/contract.js';
import { createTestDatabase } from '../../packages/server/src/storage/conformance/postgres-database.js';
import { createStorage } from '../../packages/server/src/storage/open.js';
import type { RetentionPolicy, SweepStep } from '../../packages/server/src/storage/people.js';
import { formatDuration, printTable } from './table.js';

const DAY = 86_400_000;
/** The bench's "now": events span the 90 days before it (January to March). */
const NOW = Date.UTC(2026, 2, 31, 12);
const VISITORS = 100_000;
const TOTAL = 1_000_000;

// mulberry32: a small seeded generator, so every run (and engine) stores the same events.
let seed = 11;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** 30% of visitors identify (visitor % 10 < 3). */
const identifies = (visitor: number) => visitor % 10 < 3;

/** An event of a random visitor at a random time in the 90 days: 60% page views, 15% Message Shown, 25% other tracks. */
function makeEvent(time = NOW - Math.floor(random() * 90 * DAY)): BeckonEvent {
  const visitor = Math.floor(random() * VISITORS);
  const base = { messageId: randomUUID(), anonymousId: `anon-${visitor}`, timestamp: new Date(time).toISOString(), context: { library: { name: '@beckon/web', version: '0.1.0' } } };
  const roll = random();
  if (roll < 0.6) return { ...base, type: 'page', name: 'Product' };
  if (roll < 0.75) return { ...base, type: 'track', event: MESSAGE_EVENTS.shown, properties: { message_id: `msg-${visitor % 20}`, layout: 'modal' } };
  return { ...base, type: 'track', event: 'Product Viewed', properties: { sku: `sku-${visitor % 900}` } };
}

/** Every identified visitor's identify, then random events up to TOTAL, in batches of 5,000. */
async function fill(storage: Storage): Promise<number> {
  const started = performance.now();
  const identifyEvents: BeckonEvent[] = [];
  for (let visitor = 0; visitor < VISITORS; visitor++) {
    if (identifies(visitor)) {
      identifyEvents.push({ type: 'identify', messageId: randomUUID(), anonymousId: `anon-${visitor}`, userId: `user-${visitor}`, timestamp: new Date(NOW - Math.floor(random() * 90 * DAY)).toISOString() });
    }
  }
  for (let i = 0; i < identifyEvents.length; i += 5000) await storage.insertBatch(identifyEvents.slice(i, i + 5000), NOW);
  for (let stored = identifyEvents.length; stored < TOTAL; stored += 5000) {
    await storage.insertBatch(Array.from({ length: Math.min(5000, TOTAL - stored) }, () => makeEvent()), NOW);
  }
  return (performance.now() - started) / 1000;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

/** Writes batches of 100 fresh events from 4 concurrent writers until `until()` says stop; events/s and batch latencies. */
async function ingest(storage: Storage, until: () => boolean): Promise<{ eventsPerSecond: number; p50: number; p99: number; events: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  const writer = async () => {
    while (!until()) {
      const batch = Array.from({ length: 100 }, () => makeEvent(NOW - Math.floor(random() * DAY)));
      const t0 = performance.now();
      // As the collector does: refuse erased people's events, then store the rest.
      const refused = await storage.erasedEvents(batch, NOW);
      await storage.insertBatch(batch.filter((e) => !refused.has(e.messageId)), NOW);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all([writer(), writer(), writer(), writer()]);
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { eventsPerSecond: (latencies.length * 100) / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), events: latencies.length * 100 };
}

/** Runs one sweep pass with the server's pacing; resolves with its wall time, the time spent in steps, and totals. */
function sweepPass(storage: Storage, policy: RetentionPolicy): Promise<{ seconds: number; stepSeconds: number; steps: number; deleted: SweepStep['deleted'] }> {
  return new Promise((resolve, reject) => {
    let stepMs = 0;
    let steps = 0;
    const timed = {
      async sweepRetention(p: RetentionPolicy, now: number) {
        const t0 = performance.now();
        const step = await storage.sweepRetention(p, now);
        stepMs += performance.now() - t0;
        steps += 1;
        return step;
      },
    };
    const started = performance.now();
    const sweep = startRetentionSweep(timed, policy, {
      now: () => NOW,
      timing: { firstDelayMs: 0 },
      log: (entry) => {
        if (entry.level !== 'info') return reject(new Error(entry.message));
        const seconds = (performance.now() - started) / 1000;
        void sweep.stop();
        resolve({ seconds, stepSeconds: stepMs / 1000, steps, deleted: (entry.fields as { deleted: SweepStep['deleted'] }).deleted });
      },
    });
  });
}

const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const count = (n: number) => Math.round(n).toLocaleString('en-US');

async function measure(engine: 'sqlite' | 'postgres'): Promise<{ sweep: Record<string, string>; ingest: Array<Record<string, string>>; events: Record<string, string> }> {
  seed = 11;
  const dir = mkdtempSync(join(tmpdir(), 'beckon-retention-bench-'));
  const database = engine === 'postgres' ? await createTestDatabase() : undefined;
  const storage = createStorage(database?.url ?? join(dir, 'bench.sqlite'));
  try {
    await storage.ready;
    const fillSeconds = await fill(storage);
    console.error(`${engine}: 1,000,000 events stored in ${fillSeconds.toFixed(0)} s; measuring`);
    if (database) await database.admin.query('VACUUM ANALYZE');
    // Ingest alone, for 15 s.
    const before = performance.now();
    const alone = await ingest(storage, () => performance.now() - before > 15_000);
    // The anonymous sweep, with ingest running the whole time.
    let sweeping = true;
    const during = ingest(storage, () => !sweeping);
    const pass = await sweepPass(storage, { anonymousMs: DEFAULT_RETAIN_ANONYMOUS_MS });
    sweeping = false;
    const concurrent = await during;
    // Then every event older than 45 days: January goes whole.
    const eventsPass = await sweepPass(storage, { anonymousMs: DEFAULT_RETAIN_ANONYMOUS_MS, eventsMs: 45 * DAY });
    const row = (name: string, r: typeof alone) => ({
      engine, ingest: name, 'events/s': count(r.eventsPerSecond), 'batch p50': formatDuration(r.p50), 'batch p99': formatDuration(r.p99), events: count(r.events),
    });
    return {
      sweep: {
        engine,
        'filled in': `${fillSeconds.toFixed(0)} s`,
        'pass (wall)': `${pass.seconds.toFixed(1)} s`,
        'in steps': `${pass.stepSeconds.toFixed(1)} s`,
        steps: String(pass.steps),
        'events deleted': count(pass.deleted.events),
        'ledgers deleted': count(pass.deleted.ledgers),
        'µs per deleted event': ((pass.stepSeconds * 1e6) / Math.max(1, pass.deleted.events)).toFixed(1),
      },
      ingest: [row('alone (15 s)', alone), row('during the sweep', concurrent)],
      events: {
        engine,
        'pass (wall)': `${eventsPass.seconds.toFixed(1)} s`,
        'in steps': `${eventsPass.stepSeconds.toFixed(1)} s`,
        steps: String(eventsPass.steps),
        'events deleted': count(eventsPass.deleted.events),
        'partitions dropped': String(eventsPass.deleted.partitions),
      },
    };
  } finally {
    await storage.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const engines = (process.env['BECKON_BENCH_ENGINES'] ?? 'sqlite,postgres').split(',') as Array<'sqlite' | 'postgres'>;
const results = [];
for (const engine of engines) results.push(await measure(engine));
printTable(
  `Retention sweep (--retain-anonymous 30d) over 1,000,000 events (90 days, 100,000 visitors, 30% identified), with ingest running (load average ${loadAverage()})`,
  results.map((r) => r.sweep),
);
printTable('Ingest (batches of 100, 4 concurrent writers, erased-people check first) alone and while the sweep runs', results.flatMap((r) => r.ingest));
printTable('Then --retain-events 45d: every event before mid-February (January whole)', results.map((r) => r.events));
