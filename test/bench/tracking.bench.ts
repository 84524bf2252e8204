// @beckon/tracking: the cost of track() per event, and computeMetrics over 1,000,000 events.
import { Bench } from 'tinybench';
import { computeMetrics, createTracker, memoryStore, MESSAGE_EVENTS, type BeckonEvent } from '@beckon/tracking';
import { formatDuration, printBench, printTable } from './table.js';

// track(): the whole path (identity, event, JSON, size check, the HTTP destination's queue writing each
// event to a store), with a transport that answers at once so the queue stays small. Node's own
// Response is left out: its cost is the runtime's, not the tracker's.
const answer = { status: 200, headers: { get: () => null } } as unknown as Response;
const context = () => ({ page: { url: 'https://shop.example.test/pricing', path: '/pricing', referrer: '', title: 'Pricing' }, locale: 'en-GB' });
const trackers = {
  memory: createTracker({ endpoint: 'https://collect.example.test', storage: 'memory', fetch: async () => answer, context }),
  'two stores (like cookie+local)': createTracker({ endpoint: 'https://collect.example.test', stores: [memoryStore(), memoryStore()], fetch: async () => answer, context }),
};
const bench = new Bench({ name: '@beckon/tracking: recording events', time: 500 });
for (const [name, tracker] of Object.entries(trackers)) {
  bench.add(`track("Message Shown", { message_id, layout }), ${name}`, () => {
    tracker.track(MESSAGE_EVENTS.shown, { message_id: 'first-order-coupon', layout: 'modal' });
  });
  bench.add(`page(), ${name}`, () => {
    tracker.page();
  });
}
await bench.run();
printBench(bench);
for (const tracker of Object.values(trackers)) tracker.close();

/** 1,000,000 events from 100,000 visitors over 30 days: page views, message events, identifies, goals. */
function generate(count: number): BeckonEvent[] {
  const start = Date.parse('2026-01-01T00:00:00Z');
  const messages = Array.from({ length: 20 }, (_, i) => `message-${i}`);
  const kinds = [MESSAGE_EVENTS.shown, MESSAGE_EVENTS.shown, MESSAGE_EVENTS.clicked, MESSAGE_EVENTS.dismissed, MESSAGE_EVENTS.heldOut];
  // mulberry32: a small seeded generator, so every run measures the same events.
  let seed = 42;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const events: BeckonEvent[] = [];
  for (let i = 0; i < count; i++) {
    const visitor = Math.floor(random() * 100_000);
    const anonymousId = `anon-${visitor}`;
    const timestamp = new Date(start + Math.floor(random() * 30 * 86_400_000)).toISOString();
    const roll = random();
    const base = { messageId: `event-${i}`, anonymousId, timestamp };
    if (roll < 0.03) events.push({ ...base, type: 'identify', userId: `user-${visitor % 60_000}` });
    else if (roll < 0.08) events.push({ ...base, type: 'track', event: 'Order Completed', properties: { total: 10 } });
    else if (roll < 0.3) events.push({ ...base, type: 'page', properties: {} });
    else {
      const message_id = messages[Math.floor(random() * messages.length)]!;
      events.push({ ...base, type: 'track', event: kinds[Math.floor(random() * kinds.length)]!, properties: { message_id, layout: 'modal' } });
    }
  }
  return events;
}

const events = generate(1_000_000);
const goals = { 'message-0': { event: 'Order Completed', windowMs: 3 * 86_400_000 } };
const options = { from: Date.parse('2026-01-05T00:00:00Z'), to: Date.parse('2026-01-25T00:00:00Z'), goals };
const gc = (globalThis as { gc?: () => void }).gc;
const rows: Array<Record<string, string>> = [];
// The floor on this machine: reading one field of every event, which computeMetrics must do at least.
let characters = 0;
const touched = performance.now();
for (const event of events) characters += event.type.length;
rows.push({ run: 'read each event once', time: formatDuration(performance.now() - touched), 'heap growth': '-', messages: '-', 'viewers (message-0)': `(${characters} chars)` });
for (let run = 1; run <= 5; run++) {
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const result = computeMetrics(events, options);
  const elapsed = performance.now() - started;
  const heapAfter = process.memoryUsage().heapUsed;
  rows.push({
    run: String(run),
    time: formatDuration(elapsed),
    'heap growth': `${((heapAfter - heapBefore) / 1024 / 1024).toFixed(1)} MB`,
    messages: String(result.length),
    'viewers (message-0)': String(result[0]?.uniqueViewers ?? 0),
  });
}
printTable(`computeMetrics over ${events.length.toLocaleString('en-US')} events (100,000 visitors, 20 messages); input held in memory: ${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(0)} MB heap`, rows);
