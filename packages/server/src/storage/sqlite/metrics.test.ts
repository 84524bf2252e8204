import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeMetrics, type BeckonEvent, type MetricsGoal } from '@beckon/tracking';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { createEventStore } from './events.js';
import { createMetricsQuery } from './metrics.js';

const dir = mkdtempSync(join(tmpdir(), 'beckon-metrics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

const T0 = Date.parse('2026-01-01T00:00:00Z');
const HOUR = 3_600_000;

/** Stores the events in a fresh SQLite file, in batches, and returns the metrics query over it. */
function store(events: BeckonEvent[], batchSize = 7) {
  const db = openDatabase(join(dir, `m${files++}.sqlite`));
  const eventStore = createEventStore(db);
  for (let i = 0; i < events.length; i += batchSize) eventStore.insertBatch(events.slice(i, i + batchSize), T0);
  return { query: createMetricsQuery(db), close: () => db.close() };
}

// Few people and messages, so that shows, goals, links and ties collide often.
const anonymousId = fc.constantFrom('a1', 'a2', 'a3', 'a4', 'a5', 'u1');
const userId = fc.constantFrom('u1', 'u2', 'u3');
const messageId = fc.constantFrom('coupon', 'banner', 'Zeta', 'émoji-😀', 'z', '');
const time = fc.integer({ min: 0, max: 24 }).map((h) => T0 + h * HOUR);
const timestamp = fc.oneof(
  { weight: 8, arbitrary: time.map((t) => new Date(t).toISOString()) },
  { weight: 1, arbitrary: time.map((t) => new Date(t + 5.5 * HOUR).toISOString().replace('Z', '+05:30')) },
);
const trackName = fc.constantFrom('Message Shown', 'Message Shown', 'Message Clicked', 'Message Dismissed', 'Message Held Out', 'Order Completed', 'identify', 'Signed Up');

const eventArb: fc.Arbitrary<Omit<BeckonEvent, 'messageId'>> = fc.oneof(
  { weight: 6, arbitrary: fc.record({
      type: fc.constant('track' as const),
      anonymousId,
      userId: fc.option(userId, { nil: undefined, freq: 4 }),
      timestamp,
      event: trackName,
      properties: fc.oneof(
        { weight: 6, arbitrary: messageId.map((id) => ({ message_id: id })) },
        { weight: 1, arbitrary: fc.constant({ message_id: 42 }) },
        { weight: 1, arbitrary: fc.constant({}) },
      ),
    }, { requiredKeys: ['type', 'anonymousId', 'timestamp', 'event', 'properties'] }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('identify' as const), anonymousId, userId, timestamp }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('page' as const), anonymousId, timestamp, name: fc.constant('Pricing') }) },
);

const goalsArb: fc.Arbitrary<Record<string, MetricsGoal>> = fc.dictionary(
  messageId,
  fc.record({ event: fc.constantFrom('identify', 'Order Completed', 'Signed Up', 'Message Clicked'), windowMs: fc.constantFrom(0, HOUR, 6 * HOUR, 30 * HOUR) }),
  { maxKeys: 4 },
);

describe('metrics SQL', () => {
  it('gives exactly the numbers of computeMetrics on the same stored events', () => {
    fc.assert(
      fc.property(
        fc.array(eventArb, { minLength: 0, maxLength: 150, size: 'max' }),
        fc.integer({ min: -2, max: 20 }),
        fc.integer({ min: 1, max: 30 }),
        goalsArb,
        fc.array(fc.nat(149), { maxLength: 5 }),
        (drafts, fromHour, span, goals, replays) => {
          const unique = drafts.map((e, i) => ({ ...e, messageId: `e${i}` }) as BeckonEvent);
          // Replays of stored events are dropped, so computeMetrics gets each event once.
          const sent = [...unique, ...replays.filter((i) => i < unique.length).map((i) => unique[i]!)];
          const range = { from: T0 + fromHour * HOUR, to: T0 + (fromHour + span) * HOUR };
          const { query, close } = store(sent);
          try {
            expect(query(range, goals)).toEqual(computeMetrics(unique, { ...range, goals }));
          } finally {
            close();
          }
        },
      ),
      // About 900 messages over 300 runs, half of them with conversions (checked when this was written).
      { numRuns: 300 },
    );
  });

  it('counts a worked example by hand', () => {
    const at = (h: number) => new Date(T0 + h * HOUR).toISOString();
    let n = 0;
    const ev = (e: Partial<BeckonEvent>) => ({ messageId: `x${n++}`, anonymousId: 'a', timestamp: at(0), ...e }) as BeckonEvent;
    const shown = (anon: string, h: number) => ev({ type: 'track', event: 'Message Shown', anonymousId: anon, timestamp: at(h), properties: { message_id: 'coupon' } });
    const events = [
      shown('a', 1), shown('a', 2), shown('b', 1), shown('c', 3),
      ev({ type: 'track', event: 'Message Clicked', anonymousId: 'b', timestamp: at(2), properties: { message_id: 'coupon' } }),
      ev({ type: 'track', event: 'Message Held Out', anonymousId: 'd', timestamp: at(1), properties: { message_id: 'coupon' } }),
      ev({ type: 'track', event: 'Message Held Out', anonymousId: 'e', timestamp: at(1), properties: { message_id: 'coupon' } }),
      // b identifies as ann two hours after the show: a conversion (default goal: identify within 7 days).
      ev({ type: 'identify', anonymousId: 'b', userId: 'ann', timestamp: at(3) }),
      // d (control) identifies too.
      ev({ type: 'identify', anonymousId: 'd', userId: 'dan', timestamp: at(2) }),
    ];
    const { query, close } = store(events);
    const [coupon] = query({ from: T0, to: T0 + 24 * HOUR }, {});
    close();
    expect(coupon).toMatchObject({
      messageId: 'coupon', impressions: 4, uniqueViewers: 3, clicks: 1, clickers: 1, conversions: 1,
      control: { size: 2, conversions: 1, conversionRate: 0.5 },
    });
    expect(coupon!.conversionRate).toBeCloseTo(1 / 3);
    expect(coupon!.lift!.value).toBeCloseTo(1 / 3 - 0.5);
  });
});
