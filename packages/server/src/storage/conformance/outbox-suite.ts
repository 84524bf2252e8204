// The outbox every engine keeps for forwarding: each stored event queued once per destination in
// storage order, replays never, entries handed out oldest first until done, one claim per destination.
import { describe, expect, it } from 'vitest';
import type { OpenStorageOptions, Storage } from '../contract.js';
import { HOUR, T0 } from './arbitraries.js';

/** What the outbox suite needs: a fresh storage with options, closed by the caller's afterEach. */
export type FreshStorage = (options?: OpenStorageOptions) => Promise<Storage>;

const DESTINATIONS = ['https://hooks.example/a', 'https://warehouse.example/b'];
const at = (hour: number) => new Date(T0 + hour * HOUR).toISOString();
const track = (id: string, over: Record<string, unknown> = {}) =>
  ({ type: 'track', messageId: id, anonymousId: 'anon-1', event: 'Signed Up', timestamp: at(1), ...over }) as never;

export function runOutboxConformance(name: string, fresh: FreshStorage): void {
  describe(`outbox conformance: ${name}`, () => {
    it('has no outbox without destinations', async () => {
      const storage = await fresh();
      expect(storage.outbox).toBeUndefined();
      expect(storage.outboxStats).toBeUndefined();
    });

    it('queues every stored event once per destination, anonymous ones too, in storage order; replays never', async () => {
      const storage = await fresh({ destinations: DESTINATIONS });
      const received = T0 + 2 * HOUR;
      await storage.insertBatch([track('e1'), track('e2', { userId: 'u1' }), track('e1')], received);
      await storage.insertBatch([track('e2'), { type: 'page', messageId: 'e3', anonymousId: 'anon-2', name: 'Home', timestamp: 'not a time' } as never], received + 1000);
      await storage.insertBatch([track('e4', { type: 'identify', userId: 'u9' })], received + 2000);
      const outbox = storage.outbox!;
      expect(outbox.destinations).toEqual(DESTINATIONS);
      for (const destination of DESTINATIONS) {
        const claim = (await outbox.claim(destination))!;
        const entries = await claim.next(10);
        expect(entries.map((e) => e.eventId)).toEqual(['e1', 'e2', 'e3', 'e4']);
        expect(entries.map((e) => e.receivedMs)).toEqual([received, received, received + 1000, received + 2000]);
        expect(JSON.parse(entries[1]!.body)).toMatchObject({ messageId: 'e2', userId: 'u1', event: 'Signed Up' });
        // Ids follow storage order.
        expect([...entries].sort((a, b) => a.id - b.id)).toEqual(entries);
        await claim.release();
      }
      expect(await outbox.backlog(received + 10_000)).toEqual(DESTINATIONS.map((destination) => ({ destination, pending: 4, oldestPendingSeconds: 10 })));
      expect(await storage.outboxStats!()).toMatchObject({ pending: 8 });
    });

    it('hands entries out oldest first, bounded, until they are done; each destination on its own', async () => {
      const storage = await fresh({ destinations: DESTINATIONS });
      const ids = Array.from({ length: 25 }, (_, i) => `m${String(i).padStart(2, '0')}`);
      for (let i = 0; i < ids.length; i += 5) await storage.insertBatch(ids.slice(i, i + 5).map((id) => track(id)), T0 + 2 * HOUR);
      const [first, second] = [(await storage.outbox!.claim(DESTINATIONS[0]!))!, (await storage.outbox!.claim(DESTINATIONS[1]!))!];
      const page = await first.next(10);
      expect(page.map((e) => e.eventId)).toEqual(ids.slice(0, 10));
      // Not done yet: handed out again (at least once).
      expect((await first.next(10)).map((e) => e.eventId)).toEqual(ids.slice(0, 10));
      await first.done(page.slice(0, 7).map((e) => e.id));
      expect((await first.next(10)).map((e) => e.eventId)).toEqual(ids.slice(7, 17));
      // The other destination still has all of them.
      expect((await second.next(100)).map((e) => e.eventId)).toEqual(ids);
      const rest = await first.next(100);
      await first.done(rest.map((e) => e.id));
      expect(await first.next(10)).toEqual([]);
      const backlog = await storage.outbox!.backlog(T0 + 3 * HOUR);
      expect(backlog).toEqual([
        { destination: DESTINATIONS[0], pending: 0, oldestPendingSeconds: 0 },
        { destination: DESTINATIONS[1], pending: 25, oldestPendingSeconds: 3600 },
      ]);
    });

    it('forgets the waiting events of an erased person, and only theirs', async () => {
      const storage = await fresh({ destinations: DESTINATIONS });
      await storage.insertBatch([
        track('gone-1', { anonymousId: 'anon-gone' }),
        track('gone-2', { type: 'identify', anonymousId: 'anon-gone', userId: 'u-gone' }),
        track('gone-3', { anonymousId: 'phone', userId: 'u-gone' }),
        track('kept-1', { anonymousId: 'anon-kept' }),
      ], T0 + 2 * HOUR);
      expect(await storage.erasePerson({ userId: 'u-gone' }, T0 + 3 * HOUR, T0 + 100 * HOUR)).not.toBeNull();
      for (const destination of DESTINATIONS) {
        const claim = (await storage.outbox!.claim(destination))!;
        expect((await claim.next(10)).map((e) => e.eventId)).toEqual(['kept-1']);
        await claim.release();
      }
    });

    it('shows in the backlog what the forwarding claim last reported, until it reports again', async () => {
      const storage = await fresh({ destinations: DESTINATIONS });
      const claim = (await storage.outbox!.claim(DESTINATIONS[0]!))!;
      await claim.report({ lastError: 'https://hooks.example/a answered 503', lastErrorMs: T0, lastDeliveredMs: T0 - HOUR });
      const [failing, other] = await storage.outbox!.backlog(T0);
      expect(failing).toEqual({
        destination: DESTINATIONS[0], pending: 0, oldestPendingSeconds: 0,
        lastError: 'https://hooks.example/a answered 503', lastErrorAt: new Date(T0).toISOString(), lastDeliveredAt: new Date(T0 - HOUR).toISOString(),
      });
      expect(other).toEqual({ destination: DESTINATIONS[1], pending: 0, oldestPendingSeconds: 0 });
      await claim.report({ lastError: null, lastErrorMs: null, lastDeliveredMs: T0 + HOUR });
      expect((await storage.outbox!.backlog(T0))[0]).toEqual({
        destination: DESTINATIONS[0], pending: 0, oldestPendingSeconds: 0, lastDeliveredAt: new Date(T0 + HOUR).toISOString(),
      });
      await claim.release();
    });

    it('lets one claim of a destination forward at a time, and another once it is released', async () => {
      const storage = await fresh({ destinations: DESTINATIONS });
      const claim = await storage.outbox!.claim(DESTINATIONS[0]!);
      expect(claim).not.toBeNull();
      expect(await storage.outbox!.claim(DESTINATIONS[0]!)).toBeNull();
      const other = await storage.outbox!.claim(DESTINATIONS[1]!);
      expect(other).not.toBeNull();
      await claim!.release();
      const again = await storage.outbox!.claim(DESTINATIONS[0]!);
      expect(again).not.toBeNull();
      await Promise.all([again!.release(), other!.release()]);
    });
  });
}
