// Export every engine gives: each stored event of the range once, read a page at a time, nothing outside
// [from, to) and nothing without a time; a consumer that stops early leaves the engine as it found it.
import type { CollectedEvent } from '@beckon/tracking';
import { describe, expect, it } from 'vitest';
import type { ExportedEvent } from '../export.js';
import { HOUR, T0 } from './arbitraries.js';
import type { FreshStorage } from './outbox-suite.js';

const at = (hour: number) => new Date(T0 + hour * HOUR).toISOString();
const track = (id: string, hour: number): CollectedEvent =>
  ({ type: 'track', messageId: id, anonymousId: `a-${id}`, event: 'Signed Up', timestamp: at(hour), properties: { n: id } });

export function runExportConformance(name: string, fresh: FreshStorage): void {
  describe(`export conformance: ${name}`, () => {
    it('gives each stored event of [from, to) once, a bounded page at a time', async () => {
      const storage = await fresh();
      // Hours -30 to 40, across a month boundary (partitions on PostgreSQL), stored out of time order.
      const hours = Array.from({ length: 71 }, (_, i) => ((i * 37) % 71) - 30);
      const ids = hours.map((hour, i) => `e${i}-h${hour}`);
      for (let i = 0; i < ids.length; i += 9) {
        await storage.insertBatch(ids.slice(i, i + 9).map((id, j) => track(id, hours[i + j]!)), T0 + (41 + i) * HOUR);
      }
      await storage.insertBatch([track(ids[0]!, hours[0]!)], T0 + 100 * HOUR); // a replay: stored once
      await storage.insertBatch([{ ...track('undated', 0), timestamp: 'not a time' }], T0);

      const range = { from: T0 - 24 * HOUR, to: T0 + 24 * HOUR };
      const pages: ExportedEvent[][] = [];
      for await (const page of storage.exportEvents(range, 4)) pages.push(page);
      expect(Math.max(...pages.map((p) => p.length))).toBeLessThanOrEqual(4);
      const exported = pages.flat().map((e) => ({ ...(JSON.parse(e.body) as { messageId: string }), receivedMs: e.receivedMs }));
      const expected = ids.filter((_, i) => hours[i]! >= -24 && hours[i]! < 24);
      expect(exported.map((e) => e.messageId).sort()).toEqual([...expected].sort());
      expect(expected.length).toBeGreaterThan(40);
      const index = ids.indexOf(expected[0]!);
      const batchStart = index - (index % 9);
      expect(exported.find((e) => e.messageId === expected[0])).toMatchObject({
        type: 'track', event: 'Signed Up', properties: { n: expected[0] }, receivedMs: T0 + (41 + batchStart) * HOUR,
      });
      // An empty range gives no page.
      const none: ExportedEvent[][] = [];
      for await (const page of storage.exportEvents({ from: T0 + 500 * HOUR, to: T0 + 501 * HOUR })) none.push(page);
      expect(none).toEqual([]);
    });

    it('lets a consumer stop after a page, many times, and answers as before', async () => {
      const storage = await fresh();
      await storage.insertBatch(Array.from({ length: 30 }, (_, i) => track(`s${i}`, 1)), T0 + 2 * HOUR);
      // More early stops than a PostgreSQL pool has connections: each gives its connection back.
      for (let round = 0; round < 12; round++) {
        for await (const page of storage.exportEvents({ from: T0, to: T0 + 2 * HOUR }, 5)) {
          expect(page).toHaveLength(5);
          break;
        }
      }
      let count = 0;
      for await (const page of storage.exportEvents({ from: T0, to: T0 + 2 * HOUR }, 7)) count += page.length;
      expect(count).toBe(30);
      expect((await storage.ping()).ok).toBe(true);
    });
  });
}
