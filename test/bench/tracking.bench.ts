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

/**
 * How the events' objects are made. 'one shape per kind': object literals, so events of one kind share a
 * hidden class, as JSON.parse gives them. 'object spread': `{ ...base, type, ... }`,
 * which in V8 gives every event a hidden class of its own, so every property read is megamorphic.
 * The data are the same either way (same fields, same order, same values, fresh strings per event).
 */
type Shapes = 'one shape per kind' | 'object spread';

/**
 * 1,000,000 events from 100,000 visitors over 30 days: page views, message events, identifies, goals. With
 * `variants`, every message event also names one of three variants (by visitor, as assignment would).
 */
function generate(count: number, shapes: Shapes, variants = false): BeckonEvent[] {
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
  const spread = shapes === 'object spread';
  const events: BeckonEvent[] = [];
  for (let i = 0; i < count; i++) {
    const visitor = Math.floor(random() * 100_000);
    const anonymousId = `anon-${visitor}`;
    const timestamp = new Date(start + Math.floor(random() * 30 * 86_400_000)).toISOString();
    const roll = random();
    const messageId = `event-${i}`;
    const base = { messageId, anonymousId, timestamp };
    if (roll < 0.03) {
      const userId = `user-${visitor % 60_000}`;
      events.push(spread ? { ...base, type: 'identify', userId } : { messageId, anonymousId, timestamp, type: 'identify', userId });
    } else if (roll < 0.08) {
      const properties = { total: 10 };
      events.push(spread ? { ...base, type: 'track', event: 'Order Completed', properties } : { messageId, anonymousId, timestamp, type: 'track', event: 'Order Completed', properties });
    } else if (roll < 0.3) {
      events.push(spread ? { ...base, type: 'page', properties: {} } : { messageId, anonymousId, timestamp, type: 'page', properties: {} });
    } else {
      const message_id = messages[Math.floor(random() * messages.length)]!;
      const event = kinds[Math.floor(random() * kinds.length)]!;
      const properties = variants ? { message_id, variant_id: VARIANTS[visitor % 3]!.id, layout: 'modal' } : { message_id, layout: 'modal' };
      events.push(spread ? { ...base, type: 'track', event, properties } : { messageId, anonymousId, timestamp, type: 'track', event, properties });
    }
  }
  return events;
}

/** Reads every field computeMetrics reads, once per event: what touching the input costs at the least. */
function readFields(events: BeckonEvent[]): number {
  let characters = 0;
  for (const event of events) {
    characters += event.type.length;
    if (event.type !== 'track' && event.type !== 'identify') continue;
    characters += event.timestamp.length + event.anonymousId.length + (event.userId?.length ?? 0);
    const messageId = event.properties?.message_id;
    if (event.type === 'track') characters += event.event.length + (typeof messageId === 'string' ? messageId.length : 0);
  }
  return characters;
}

const VARIANTS = [
  { id: 'control', weight: 1 },
  { id: 'bold', weight: 1 },
  { id: 'modal', weight: 1 },
];
const goals = { 'message-0': { event: 'Order Completed', windowMs: 3 * 86_400_000 } };
const options = { from: Date.parse('2026-01-05T00:00:00Z'), to: Date.parse('2026-01-25T00:00:00Z'), goals };
const gc = (globalThis as { gc?: () => void }).gc;
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

/** computeMetrics over the same events several times, each run after reading the fields alone (in a function, so both are optimised alike). */
function measure(shapes: Shapes, runs: number): void {
  gc?.();
  const events = generate(1_000_000, shapes);
  const rows: Array<Record<string, string>> = [];
  const times: number[] = [];
  const floors: number[] = [];
  for (let run = 1; run <= runs; run++) {
    gc?.();
    const read = performance.now();
    const characters = readFields(events);
    floors.push(performance.now() - read);
    gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const result = computeMetrics(events, options);
    times.push(performance.now() - started);
    const heapAfter = process.memoryUsage().heapUsed;
    rows.push({
      run: String(run),
      computeMetrics: formatDuration(times.at(-1)!),
      'heap growth': megabytes(heapAfter - heapBefore),
      'reading the fields alone': `${formatDuration(floors.at(-1)!)} (${characters} chars)`,
      messages: String(result.length),
      'viewers (message-0)': String(result[0]?.uniqueViewers ?? 0),
    });
  }
  rows.push({ run: 'median', computeMetrics: formatDuration(median(times)), 'heap growth': '', 'reading the fields alone': formatDuration(median(floors)), messages: '', 'viewers (message-0)': '' });
  const heap = (process.memoryUsage().heapUsed / 1024 / 1024).toFixed(0);
  printTable(`computeMetrics over ${events.length.toLocaleString('en-US')} events (100,000 visitors, 20 messages), objects made with ${shapes}; input held in memory: ${heap} MB heap`, rows);
}

/** The same events without and with variants (and the catalog's variants in the options), runs alternating. */
function compareVariants(runs: number): void {
  const catalogVariants = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`message-${i}`, VARIANTS]));
  const cases = [
    { name: 'without variants', events: generate(1_000_000, 'one shape per kind'), options },
    { name: 'with 3 variants per message', events: generate(1_000_000, 'one shape per kind', true), options: { ...options, variants: catalogVariants } },
  ];
  // CPU time beside wall time: on a shared, loaded machine the process's own CPU time moves less.
  const times = cases.map(() => [] as number[]);
  const cpu = cases.map(() => [] as number[]);
  for (let run = 0; run < runs; run++) {
    cases.forEach(({ events, options }, i) => {
      gc?.();
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      computeMetrics(events, options);
      times[i]!.push(performance.now() - started);
      const used = process.cpuUsage(cpuBefore);
      cpu[i]!.push((used.user + used.system) / 1000);
    });
  }
  const against = (values: number[][], i: number) => `${((median(values[i]!) / median(values[0]!) - 1) * 100).toFixed(1)}%`;
  printTable(
    `computeMetrics over 1,000,000 events, without and with variants (${runs} runs each, alternating)`,
    cases.map(({ name }, i) => ({
      events: name,
      'median (wall)': formatDuration(median(times[i]!)),
      'best (wall)': formatDuration(Math.min(...times[i]!)),
      'median CPU time': formatDuration(median(cpu[i]!)),
      'wall against without': against(times, i),
      'CPU against without': against(cpu, i),
    })),
  );
}

compareVariants(7);
measure('one shape per kind', 5);
// The worst case for property reads, kept visible: the same events as made before, a hidden class each.
measure('object spread', 3);
