import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BeckonEvent } from '@beckon/tracking';
import { afterAll, describe, expect, it } from 'vitest';
import { HOUR, T0 } from '../conformance/arbitraries.js';
import { openDatabase } from './database.js';
import { createEventStore } from './events.js';
import { createMetricsQuery } from './metrics.js';

const dir = mkdtempSync(join(tmpdir(), 'beckon-metrics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** Stores the events in a fresh SQLite file, in batches, and returns the metrics query over it. */
function store(events: BeckonEvent[], batchSize = 7) {
  const db = openDatabase(join(dir, `m${files++}.sqlite`));
  const eventStore = createEventStore(db);
  for (let i = 0; i < events.length; i += batchSize) eventStore.insertBatch(events.slice(i, i + batchSize), T0);
  return { query: createMetricsQuery(db), close: () => db.close() };
}

describe('metrics SQL', () => {
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
