// Erasure, access and retention, as every engine must do them: part of the conformance suite.
import { computeMetrics, type BeckonEvent, type CollectedEvent } from '@beckon/tracking';
import { expect, it } from 'vitest';
import type { OpenStorageOptions, Storage } from '../contract.js';
import type { RetentionPolicy, SweepStep } from '../people.js';
import { HOUR, T0 } from './arbitraries.js';

const DAY = 24 * HOUR;
const at = (hours: number) => new Date(T0 + hours * HOUR).toISOString();

type Fresh = (options?: OpenStorageOptions) => Promise<Storage & { decide(request: { anonymousId: string; userId?: string; url: string }, now: number): Promise<{ show: unknown[] }> }>;

/** Helpers the suite shares with this part. */
export interface PeopleSuiteTools {
  fresh: Fresh;
  event(over: Partial<BeckonEvent> & Record<string, unknown>): BeckonEvent;
  shownEvent(anonymousId: string, hour: number, messageId?: string, userId?: string): BeckonEvent;
  identifyEvent(anonymousId: string, userId: string, hour: number): BeckonEvent;
  /** A catalog with the message `coupon` (max 2 shows) on /pricing. */
  catalog: OpenStorageOptions['catalog'];
}

/** Runs the sweep until it says it is done; the steps it took, and their totals. */
async function sweepAll(storage: Storage, policy: RetentionPolicy, now: number): Promise<{ steps: number; total: SweepStep['deleted'] }> {
  const total = { events: 0, ledgers: 0, erasures: 0, partitions: 0 };
  for (let steps = 1; steps < 1_000; steps++) {
    const step = await storage.sweepRetention(policy, now);
    for (const kind of Object.keys(total) as Array<keyof typeof total>) total[kind] += step.deleted[kind];
    if (step.done) return { steps, total };
  }
  throw new Error('the sweep did not finish in 1,000 steps');
}

export function runPeopleConformance({ fresh, event, shownEvent, identifyEvent, catalog }: PeopleSuiteTools): void {
  const received = T0 + 3 * DAY;
  const goals = { coupon: { event: 'Order Completed', windowMs: DAY } };
  const range = { from: T0, to: T0 + 3 * DAY };
  const order = (anonymousId: string, hour: number, userId?: string) => event({ anonymousId, userId, event: 'Order Completed', timestamp: at(hour) });

  it('erases a user with two linked anonymous ids: events, links and ledgers go, metrics follow, late events are refused', async () => {
    const storage = await fresh({ catalog });
    const theirs = [
      shownEvent('a1', 1), event({ type: 'page', anonymousId: 'a1', name: 'Pricing', timestamp: at(1) }), shownEvent('a2', 2),
      identifyEvent('a1', 'u1', 3), identifyEvent('a2', 'u1', 4), order('a2', 5, 'u1'),
    ];
    const others = [shownEvent('b1', 1), identifyEvent('b1', 'u2', 2), order('b1', 3, 'u2'), shownEvent('c1', 2), order('c1', 4)];
    await storage.insertBatch([...theirs, ...others], received);
    const before = await storage.metrics(range, goals);
    expect(before).toEqual(computeMetrics([...theirs, ...others], { ...range, goals }));
    expect(before[0]).toMatchObject({ uniqueViewers: 3, conversions: 3 });

    // Named by one of their anonymous ids, the person is the user it is linked to, with both ids.
    expect(await storage.findPerson({ anonymousId: 'a2' })).toEqual({ userId: 'u1', anonymousIds: ['a1', 'a2'] });
    const report = await storage.erasePerson({ anonymousId: 'a2' }, received, received + 30 * DAY);
    expect(report).toEqual({
      userId: 'u1', anonymousIds: ['a1', 'a2'],
      deleted: { events: theirs.length, identityLinks: 2, ledgers: 1 },
      refusedUntil: received + 30 * DAY,
    });
    expect(await storage.metrics(range, goals)).toEqual(computeMetrics(others, { ...range, goals }));
    expect((await storage.metrics(range, goals))[0]).toMatchObject({ uniqueViewers: 2, conversions: 2 });
    for (const ref of [{ userId: 'u1' }, { anonymousId: 'a1' }, { anonymousId: 'a2' }]) {
      expect(await storage.findPerson(ref)).toBeNull();
      expect(await storage.exportPerson(ref)).toBeNull();
    }
    // Late events: from either anonymous id (a browser queue that was offline), from the user on a new
    // device, and a replay of an erased event; a stranger's event in the same batch is not refused.
    const late: CollectedEvent[] = [
      shownEvent('a1', 6), order('new-device', 6, 'u1'), theirs[0]!, shownEvent('d1', 6),
      { type: 'alias', messageId: 'alias-late', previousId: 'a2', userId: 'u9', timestamp: at(6) },
    ];
    const refused = await storage.erasedEvents(late, received + DAY);
    expect([...refused].sort()).toEqual([late[0]!.messageId, late[1]!.messageId, late[2]!.messageId, 'alias-late'].sort());
    // Once the record expires, the sweep deletes it and nothing is refused any more.
    expect(await storage.erasedEvents(late, received + 31 * DAY)).toEqual(new Set());
    const swept = await sweepAll(storage, { anonymousMs: 365 * DAY }, received + 31 * DAY);
    expect(swept.total.erasures).toBe(3);
    expect(await storage.erasedEvents(late, received + DAY)).toEqual(new Set());
  });

  it('erases an anonymous id that never identified, and nothing of anyone else', async () => {
    const storage = await fresh({ catalog });
    const theirs = [shownEvent('anon-x', 1), event({ type: 'page', anonymousId: 'anon-x', timestamp: at(2) })];
    const others = [shownEvent('anon-y', 1), identifyEvent('anon-z', 'anon-x-user', 1)];
    await storage.insertBatch([...theirs, ...others], received);
    const report = await storage.erasePerson({ anonymousId: 'anon-x' }, received, received + DAY);
    expect(report).toMatchObject({ userId: null, anonymousIds: ['anon-x'], deleted: { events: 2, identityLinks: 0, ledgers: 1 } });
    expect((await storage.exportPerson({ anonymousId: 'anon-y' }))?.events.map((e) => e.event)).toEqual([others[0]]);
    expect(await storage.exportPerson({ userId: 'anon-x-user' })).toMatchObject({ anonymousIds: ['anon-z'] });
  });

  it('finds nobody, and deletes nothing, for ids it has never stored, odd characters included', async () => {
    const storage = await fresh();
    const stored = [shownEvent('abc', 1), identifyEvent('abc', 'user-abc', 2), shownEvent("o'brien; DROP TABLE events; --", 1)];
    await storage.insertBatch(stored, received);
    for (const id of ['%', 'a_c', '*', 'ab', "' OR '1'='1", 'a:abc', 'u:user-abc', '😀', 'x'.repeat(200)]) {
      expect(await storage.findPerson({ userId: id })).toBeNull();
      expect(await storage.findPerson({ anonymousId: id })).toBeNull();
      expect(await storage.erasePerson({ userId: id }, received, received + DAY)).toBeNull();
      expect(await storage.erasePerson({ anonymousId: id }, received, received + DAY)).toBeNull();
    }
    expect(await storage.metrics(range, {})).toEqual(computeMetrics(stored, { ...range, goals: {} }));
    // An id with SQL in it is only an id.
    const odd = await storage.exportPerson({ anonymousId: "o'brien; DROP TABLE events; --" });
    expect(odd?.events.map((e) => e.event)).toEqual([stored[2]]);
  });

  it('exports everything stored about a person: events as sent, identity links and ledgers', async () => {
    const storage = await fresh({ catalog });
    const traits = { plan: 'pro', email: 'ada@example.com' };
    const theirs = [
      shownEvent('p1', 1), event({ type: 'identify', anonymousId: 'p1', userId: 'ada', timestamp: at(2), traits }), shownEvent('p2', 3),
      identifyEvent('p2', 'ada', 4), order('p9', 5, 'ada'),
    ];
    await storage.insertBatch([...theirs, shownEvent('q1', 1)], received);
    const exported = await storage.exportPerson({ userId: 'ada' });
    expect(exported).toMatchObject({ userId: 'ada', anonymousIds: ['p1', 'p2'] });
    expect(exported!.events).toEqual(theirs.map((e) => ({ event: e, receivedAt: new Date(received).toISOString() })));
    expect(exported!.identityLinks).toEqual([
      { anonymousId: 'p1', userId: 'ada', since: at(2) },
      { anonymousId: 'p2', userId: 'ada', since: at(4) },
    ]);
    expect(Object.keys(exported!.ledgers)).toEqual(['u:ada']);
    expect(exported!.ledgers['u:ada']).toMatchObject({ messages: { coupon: { s: expect.any(Array) } } });
    // The same person named by an anonymous id of theirs.
    expect(await storage.exportPerson({ anonymousId: 'p2' })).toEqual(exported);
  });

  it('ends a retention pass while events keep arriving faster than it steps', async () => {
    const storage = await fresh();
    const old = Array.from({ length: 5_500 }, (_, i) => event({ type: 'page', anonymousId: `old-${i % 50}`, timestamp: at(i % 24) }));
    for (let i = 0; i < old.length; i += 1_100) await storage.insertBatch(old.slice(i, i + 1_100), received);
    const now = T0 + 40 * DAY;
    let deleted = 0;
    // Steps since the last old event was deleted: the pass reads at most the rest of what it began with.
    let after = 0;
    for (let done = false; !done; ) {
      expect(after, 'steps of a pass after its expired events are gone, under ingest').toBeLessThan(4);
      const step = await storage.sweepRetention({ anonymousMs: 30 * DAY }, now);
      deleted += step.deleted.events;
      done = step.done;
      if (deleted === old.length) after += 1;
      // More new events after every step than a step reads.
      if (!done) await storage.insertBatch(Array.from({ length: 5_100 }, () => event({ type: 'page', anonymousId: 'new', timestamp: at(39 * 24) })), now);
    }
    expect(deleted).toBe(old.length);
  }, 120_000);

  it('retention deletes exactly the expired anonymous people, in bounded steps, and keeps the identified', async () => {
    const storage = await fresh({ catalog });
    // 6,000 expired anonymous events (more than one step holds) from 300 people, in January.
    const expired = Array.from({ length: 6_000 }, (_, i) =>
      i % 2 === 0 ? shownEvent(`gone-${Math.floor(i / 20)}`, 24 + (i % 48)) : event({ type: 'page', anonymousId: `gone-${Math.floor(i / 20)}`, timestamp: at(24 + (i % 48)) }));
    const identified = [shownEvent('kept-a', 30), identifyEvent('kept-a', 'kept-u', 31), order('kept-b', 32, 'kept-u'), shownEvent('later-linked', 33),
      identifyEvent('later-linked', 'kept-v', 60 * 24)];
    // An anonymous person active recently (in March), with one old event: only the old event goes.
    const recent = [shownEvent('recent', 60 * 24), shownEvent('recent', 2)];
    const all = [...expired, ...identified, ...recent];
    for (let i = 0; i < all.length; i += 500) await storage.insertBatch(all.slice(i, i + 500), received);
    const now = T0 + 65 * DAY;
    const { steps, total } = await sweepAll(storage, { anonymousMs: 30 * DAY }, now);
    expect(steps).toBeGreaterThan(1);
    expect(total.events).toBe(expired.length + 1);
    expect(total.ledgers).toBe(300);
    for (const id of ['gone-0', 'gone-299']) expect(await storage.findPerson({ anonymousId: id })).toBeNull();
    const remaining = [...identified, recent[0]!];
    const wide = { from: T0, to: T0 + 90 * DAY };
    expect(await storage.metrics(wide, goals)).toEqual(computeMetrics(remaining, { ...wide, goals }));
    expect((await storage.exportPerson({ userId: 'kept-u' }))!.events).toHaveLength(3);
    expect((await storage.exportPerson({ anonymousId: 'recent' }))!.events.map((e) => e.event)).toEqual([recent[0]]);
    // Nothing more has expired: a second pass deletes nothing.
    expect((await sweepAll(storage, { anonymousMs: 30 * DAY }, now)).total).toEqual({ events: 0, ledgers: 0, erasures: 0, partitions: 0 });

    // Every event older than 40 days goes: all of January (on PostgreSQL by dropping its partition).
    const later = T0 + 80 * DAY;
    const all40 = await sweepAll(storage, { anonymousMs: 30 * DAY, eventsMs: 40 * DAY }, later);
    expect(all40.total.events).toBe(4);
    // January's partition at least (months before it, made empty at start, go too).
    if (storage.engine === 'postgres') expect(all40.total.partitions).toBeGreaterThanOrEqual(1);
    else expect(all40.total.partitions).toBe(0);
    const left = [identified[4]!, recent[0]!];
    expect(await storage.metrics(wide, goals)).toEqual(computeMetrics(left, { ...wide, goals }));
    // The identity link stays: the user's later events still count for them.
    expect(await storage.findPerson({ anonymousId: 'later-linked' })).toEqual({ userId: 'kept-v', anonymousIds: ['later-linked'] });
    // An event of a dropped month arriving late is stored (and swept again later), never an error.
    expect(await storage.insertBatch([shownEvent('straggler', 40)], later)).toEqual({ accepted: 1, duplicates: 0 });
  }, 120_000);
}
