// The behaviour every storage engine must have, as one suite each engine's test file runs against
// itself: `runStorageConformance({ name, fresh })`. Metrics are checked against computeMetrics on the
// same events; decide against the catalog's caps; dedupe against replays sent at once.
import type { CompiledCatalog } from '@beckon/rules';
import { decideFor, type DecideRequest } from '../../decide.js';
import { computeMetrics, type BeckonEvent, type CollectedEvent } from '@beckon/tracking';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog/load.js';
import type { CatalogSource, OpenStorageOptions, Storage } from '../contract.js';
import { eventArb, goalsArb, HOUR, T0, variantsArb } from './arbitraries.js';
import { runPeopleConformance } from './people.js';
import { runExportConformance } from './export-suite.js';
import { runOutboxConformance } from './outbox-suite.js';

/** What the suite needs from an engine. */
export interface ConformanceTarget {
  /** `sqlite` or `postgres`, in test names. */
  name: string;
  /** A new, empty database (migrated by opening it) with the given options; the suite closes it. */
  fresh(options?: OpenStorageOptions): Promise<Storage>;
  /** How many random runs the metrics property gets (each opens a fresh database). */
  metricsRuns: number;
}

/** A catalog source over message definitions, as the server passes one. */
export function catalogOf(messages: unknown[]): CatalogSource {
  const loaded = loadCatalog(JSON.stringify({ messages }));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const compiled: CompiledCatalog = loaded.compiled;
  return () => ({ compiled, json: JSON.stringify(compiled), etag: '"test"' });
}

let n = 0;
/** An event with a fresh id; `over` sets the rest. */
export const event = (over: Partial<BeckonEvent> & Record<string, unknown>): BeckonEvent =>
  ({ messageId: `ev-${n++}`, anonymousId: 'a1', timestamp: new Date(T0).toISOString(), type: 'track', event: 'Clicked', ...over }) as BeckonEvent;
export const shownEvent = (anonymousId: string, hour: number, messageId = 'coupon', userId?: string): BeckonEvent =>
  event({ anonymousId, userId, event: 'Message Shown', timestamp: new Date(T0 + hour * HOUR).toISOString(), properties: { message_id: messageId } });
export const identifyEvent = (anonymousId: string, userId: string, hour: number): BeckonEvent =>
  event({ type: 'identify', anonymousId, userId, timestamp: new Date(T0 + hour * HOUR).toISOString() });

const DAY = 24 * HOUR;
const EMPTY_CATALOG = catalogOf([])().compiled;
/** When the batches arrive: after every event in them, as the collector makes sure (it clamps times ahead of receipt). */
const RECEIVED = T0 + 3 * DAY;
const CATALOG = catalogOf([
  { id: 'coupon', audience: 'everyone', pages: { include: ['/pricing'] }, frequency: { maxShows: 2 }, layout: { type: 'modal' }, content: { title: '10% off' } },
]);

export function runStorageConformance(target: ConformanceTarget): void {
  const opened: Storage[] = [];
  /** A fresh storage, plus decide as the server runs it: the engine records the visit, decideFor evaluates. */
  const fresh = async (options?: OpenStorageOptions) => {
    const storage = await target.fresh(options);
    opened.push(storage);
    const compiled = options?.catalog?.().compiled ?? EMPTY_CATALOG;
    const decide = async (request: DecideRequest, now: number) => decideFor(compiled, request, await storage.recordVisit(request, now), now);
    return Object.assign(storage, { decide });
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((storage) => storage.close()));
  });

  runOutboxConformance(target.name, fresh);
  runExportConformance(target.name, fresh);

  describe(`storage conformance: ${target.name}`, () => {
    it('stores each event once: repeats inside a batch, replays of a batch, and the same batch sent at once', async () => {
      const storage = await fresh();
      const batch = [shownEvent('a1', 1), shownEvent('a2', 1), event({ type: 'page', name: 'Pricing' })];
      expect(await storage.insertBatch([...batch, batch[0]!], RECEIVED)).toEqual({ accepted: 3, duplicates: 1 });
      expect(await storage.insertBatch(batch, RECEIVED)).toEqual({ accepted: 0, duplicates: 3 });
      const next = Array.from({ length: 30 }, (_, i) => shownEvent(`b${i}`, 2));
      const results = await Promise.all(Array.from({ length: 6 }, () => storage.insertBatch(next, RECEIVED)));
      expect(results.reduce((sum, r) => sum + r.accepted, 0)).toBe(30);
      expect(results.reduce((sum, r) => sum + r.duplicates, 0)).toBe(150);
      const [coupon] = await storage.metrics({ from: T0, to: T0 + DAY }, {});
      expect(coupon).toMatchObject({ messageId: 'coupon', impressions: 32, uniqueViewers: 32 });
    });

    it('joins an anonymous visitor to the user of their earliest identify, also when it arrives late', async () => {
      const storage = await fresh();
      const order = event({ anonymousId: 'a1', event: 'Order Completed', timestamp: new Date(T0 + 3 * HOUR).toISOString() });
      const events = [
        shownEvent('a1', 1), shownEvent('a2', 1, 'coupon', 'u1'), order,
        identifyEvent('a1', 'u2', 5),
        // Arrives after the identify above, but happened before it: a1 belongs to u1 from now on.
        identifyEvent('a1', 'u1', 2),
        shownEvent('a1', 6),
      ];
      for (const e of events) await storage.insertBatch([e], RECEIVED);
      const goals = { coupon: { event: 'Order Completed', windowMs: DAY } };
      const range = { from: T0, to: T0 + DAY };
      const metrics = await storage.metrics(range, goals);
      expect(metrics).toEqual(computeMetrics(events, { ...range, goals }));
      // a1 and u1 are one person: one viewer, who converted.
      expect(metrics[0]).toMatchObject({ impressions: 3, uniqueViewers: 1, conversions: 1 });
    });

    it('counts per variant as computeMetrics does: each viewer in their variant, also when someone saw two', async () => {
      const storage = await fresh();
      const variantEvent = (anonymousId: string, hour: number, name: string, variant: string | undefined) =>
        event({ anonymousId, event: name, timestamp: new Date(T0 + hour * HOUR).toISOString(), properties: { message_id: 'coupon', ...(variant ? { variant_id: variant } : {}) } });
      const events = [
        variantEvent('a1', 1, 'Message Shown', 'plain'), variantEvent('a1', 2, 'Message Shown', 'plain'),
        variantEvent('a2', 1, 'Message Shown', 'bold'), variantEvent('a2', 1, 'Message Clicked', 'bold'),
        variantEvent('a3', 3, 'Message Shown', 'bold'), variantEvent('a3', 4, 'Message Dismissed', 'bold'),
        variantEvent('a4', 1, 'Message Held Out', 'bold'), identifyEvent('a2', 'u2', 5), identifyEvent('a4', 'u4', 6),
      ];
      const range = { from: T0, to: T0 + DAY };
      const variants = { coupon: [{ id: 'plain', weight: 1 }, { id: 'bold', weight: 1 }, { id: 'unseen', weight: 1 }] };
      await storage.insertBatch(events, RECEIVED);
      const [coupon] = await storage.metrics(range, {}, { variants });
      expect(coupon).toEqual(computeMetrics(events, { ...range, variants })[0]);
      expect(coupon!.variants!.map((v) => [v.variantId, v.uniqueViewers, v.clickers, v.dismissals, v.conversions])).toEqual([
        ['plain', 1, 0, 0, 0], ['bold', 2, 1, 1, 1], ['unseen', 0, 0, 0, 0],
      ]);
      expect(coupon!.variants![1]!.vsControl).not.toBeNull();
      // a1 now also sees bold (and once no variant at all): a viewer of each, one person for the message.
      const mixed = [variantEvent('a1', 7, 'Message Shown', 'bold'), variantEvent('a1', 8, 'Message Shown', undefined), identifyEvent('a1', 'u1', 9)];
      await storage.insertBatch(mixed, RECEIVED);
      for (const daily of [false, true]) {
        const all = [...events, ...mixed];
        expect(await storage.metrics(range, {}, { variants, daily })).toEqual(computeMetrics(all, { ...range, variants, daily }));
      }
      const [after] = await storage.metrics(range, {}, { variants });
      expect(after).toMatchObject({ uniqueViewers: 3, conversions: 2 });
      expect(after!.variants!.map((v) => [v.variantId, v.uniqueViewers, v.conversions])).toEqual([['plain', 1, 1], ['bold', 3, 2], ['unseen', 0, 0]]);
    });

    it('keeps ledgers from collected message events, joined on identify, for decide', async () => {
      const storage = await fresh({ catalog: CATALOG });
      const page = { url: 'https://shop.example/pricing' };
      expect((await storage.decide({ anonymousId: 'a1', ...page }, T0)).show.map((m) => m.id)).toEqual(['coupon']);
      await storage.insertBatch([shownEvent('a1', 0)], RECEIVED);
      expect((await storage.decide({ anonymousId: 'a1', ...page }, T0 + HOUR)).show).toHaveLength(1);
      await storage.insertBatch([shownEvent('a1', 1)], RECEIVED);
      const capped = await storage.decide({ anonymousId: 'a1', ...page }, T0 + 2 * HOUR);
      expect(capped.skipped).toEqual([expect.objectContaining({ id: 'coupon', reason: 'frequency:maxShows' })]);
      // Before any identify, a user on a new device sees it; once a1 is linked to that user, never again.
      expect((await storage.decide({ anonymousId: 'phone', userId: 'u1', ...page }, T0 + 3 * HOUR)).show).toHaveLength(1);
      await storage.insertBatch([identifyEvent('a1', 'u1', 3)], RECEIVED);
      const linked = await storage.decide({ anonymousId: 'phone', userId: 'u1', ...page }, T0 + 4 * HOUR);
      expect(linked).toMatchObject({ identified: true, show: [], skipped: [{ id: 'coupon', reason: 'frequency:maxShows' }] });
      // The linked anonymous id alone is identified as that user.
      expect(await storage.decide({ anonymousId: 'a1', ...page }, T0 + 5 * HOUR)).toMatchObject({ identified: true, show: [] });
    });

    it('links an alias previousId to its user as an identify links an anonymousId', async () => {
      const storage = await fresh({ catalog: CATALOG });
      const page = { url: '/pricing' };
      await storage.insertBatch([shownEvent('old-id', 0), shownEvent('old-id', 1)], RECEIVED);
      const alias: CollectedEvent = { type: 'alias', messageId: 'alias-1', previousId: 'old-id', userId: 'u7', timestamp: new Date(T0 + 2 * HOUR).toISOString() };
      expect(await storage.insertBatch([alias], RECEIVED)).toEqual({ accepted: 1, duplicates: 0 });
      const decision = await storage.decide({ anonymousId: 'laptop', userId: 'u7', ...page }, T0 + 3 * HOUR);
      expect(decision).toMatchObject({ identified: true, show: [], skipped: [{ id: 'coupon', reason: 'frequency:maxShows' }] });
    });

    it('loses no show when batches and decides for one visitor run at once', async () => {
      const storage = await fresh({ catalog: catalogOf([
        { id: 'coupon', pages: { include: ['/pricing'] }, frequency: { maxShows: 12 }, layout: { type: 'modal' }, content: { title: 'x' } },
      ]) });
      const page = { url: '/pricing' };
      // Decides write the ledger (page views) while batches record shows into it: neither may overwrite the other.
      await Promise.all(Array.from({ length: 12 }, (_, i) => Promise.all([
        storage.insertBatch([shownEvent('racer', i)], RECEIVED),
        storage.decide({ anonymousId: 'racer', ...page }, T0 + i),
      ])));
      const after = await storage.decide({ anonymousId: 'racer', ...page }, RECEIVED);
      expect(after.skipped).toEqual([expect.objectContaining({ id: 'coupon', reason: 'frequency:maxShows' })]);
    });

    it('answers a ping and reports its pool', async () => {
      const storage = await fresh();
      expect(await storage.ping()).toMatchObject({ engine: storage.engine, ok: true, latencyMs: expect.any(Number) });
      expect(storage.poolStats()).toMatchObject({ engine: storage.engine, total: expect.any(Number), max: expect.any(Number) });
    });

    runPeopleConformance({ fresh, event, shownEvent, identifyEvent, catalog: CATALOG });

    it('gives exactly the numbers of computeMetrics on the same stored events', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(eventArb, { minLength: 0, maxLength: 120, size: 'max' }),
          fc.integer({ min: -2, max: 20 }),
          fc.integer({ min: 1, max: 30 }),
          goalsArb,
          fc.array(fc.nat(119), { maxLength: 5 }),
          fc.integer({ min: 1, max: 9 }),
          variantsArb,
          fc.boolean(),
          async (drafts, fromHour, span, goals, replays, batchSize, variants, daily) => {
            const unique = drafts.map((e, i) => ({ ...e, messageId: `e${i}` }) as BeckonEvent);
            // Replays of stored events are dropped, so computeMetrics gets each event once.
            const sent = [...unique, ...replays.filter((i) => i < unique.length).map((i) => unique[i]!)];
            const range = { from: T0 + fromHour * HOUR, to: T0 + (fromHour + span) * HOUR };
            const storage = await fresh();
            for (let i = 0; i < sent.length; i += batchSize) await storage.insertBatch(sent.slice(i, i + batchSize), RECEIVED);
            // Per message and per variant (with the catalog's variants, and by day when asked), as computeMetrics counts.
            expect(await storage.metrics(range, goals, { variants, daily })).toEqual(computeMetrics(unique, { ...range, goals, variants, daily }));
            await Promise.all(opened.splice(0).map((s) => s.close()));
          },
        ),
        { numRuns: target.metricsRuns },
      );
    }, 240_000);
  });
}

