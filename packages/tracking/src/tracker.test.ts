import { describe, expect, it } from 'vitest';
import { callbackDestination, type Destination } from './destinations.js';
import { parseBatch } from './schema.js';
import { memoryStore, type KeyValueStore } from './storage.js';
import { createTracker, type IdentifyChange, type TrackerOptions } from './tracker.js';
import { MESSAGE_EVENTS, type BeckonEvent } from './types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const page = { url: 'https://shop.test/pricing?x=1', path: '/pricing', search: '?x=1', referrer: 'https://search.test/', title: 'Pricing' };

/** A tracker with two stores (cookie-like first, local-like second), a fixed clock and a callback destination. */
function setup(options: TrackerOptions = {}) {
  const cookie = memoryStore();
  const local = memoryStore();
  const events: BeckonEvent[] = [];
  const warnings: string[] = [];
  let ids = 0;
  const tracker = createTracker({
    stores: [cookie, local],
    now: () => Date.parse('2026-01-31T12:00:00.000Z'),
    randomId: () => `id-${++ids}`,
    context: () => ({ page, locale: 'en-GB' }),
    warn: (message) => warnings.push(message),
    destinations: [callbackDestination('test', (event) => void events.push(event))],
    ...options,
  });
  return { tracker, cookie, local, events, warnings };
}

describe('anonymous identity', () => {
  it('assigns a random UUID on first use and keeps it in every store', () => {
    const cookie = memoryStore();
    const local = memoryStore();
    const tracker = createTracker({ stores: [cookie, local] });
    expect(tracker.anonymousId).toMatch(UUID);
    expect(cookie.get('beckon_anonymous_id')).toBe(tracker.anonymousId);
    expect(local.get('beckon_anonymous_id')).toBe(tracker.anonymousId);
    expect(createTracker({ stores: [cookie, local] }).anonymousId).toBe(tracker.anonymousId);
    expect(createTracker({ stores: [memoryStore()] }).anonymousId).not.toBe(tracker.anonymousId);
  });

  it('heals a cleared store from the other, in both directions', () => {
    const { tracker, cookie, local } = setup();
    const id = tracker.anonymousId;
    local.remove('beckon_anonymous_id');
    expect(setup({ stores: [cookie, local] }).tracker.anonymousId).toBe(id);
    expect(local.get('beckon_anonymous_id')).toBe(id);
    cookie.remove('beckon_anonymous_id');
    expect(setup({ stores: [cookie, local] }).tracker.anonymousId).toBe(id);
    expect(cookie.get('beckon_anonymous_id')).toBe(id);
  });

  it('keeps a user id that one store holds for the anonymous id all stores agree on (a store behind another tab\'s identify)', () => {
    // Another tab identified: its localStorage write is announced at once, while this tab's cookie jar can still
    // be behind. The heal must not write the older, user-less pair back over the identify.
    const cookie = memoryStore();
    const local = memoryStore();
    cookie.set('beckon_anonymous_id', 'visitor');
    local.set('beckon_anonymous_id', 'visitor');
    local.set('beckon_user_id', 'user-9');
    const { tracker } = setup({ stores: [cookie, local] });
    expect([tracker.anonymousId, tracker.userId]).toEqual(['visitor', 'user-9']);
    expect([cookie.get('beckon_user_id'), local.get('beckon_user_id')]).toEqual(['user-9', 'user-9']);
  });

  it('trusts the first store when the two disagree, and keeps the user id with its anonymous id', () => {
    const cookie = memoryStore();
    const local = memoryStore();
    cookie.set('beckon_anonymous_id', 'from-cookie');
    local.set('beckon_anonymous_id', 'from-local');
    local.set('beckon_user_id', 'someone-else');
    const { tracker } = setup({ stores: [cookie, local] });
    expect([tracker.anonymousId, tracker.userId]).toEqual(['from-cookie', undefined]);
    expect([local.get('beckon_anonymous_id'), local.get('beckon_user_id')]).toEqual(['from-cookie', undefined]);
  });

  it('ignores stored values that cannot be ids', () => {
    const store = memoryStore();
    store.set('beckon_anonymous_id', '');
    expect(setup({ stores: [store] }).tracker.anonymousId).toBe('id-1');
    store.set('beckon_anonymous_id', 'x'.repeat(201));
    expect(setup({ stores: [store] }).tracker.anonymousId).toBe('id-1');
  });

  it('lives in memory when every store throws, and keeps one id for the whole page', () => {
    const throwing: KeyValueStore = {
      get() {
        throw new Error('SecurityError: access is denied');
      },
      set() {
        throw new Error('QuotaExceededError');
      },
      remove() {
        throw new Error('SecurityError');
      },
    };
    const { tracker, events } = setup({ stores: [throwing, throwing] });
    tracker.page();
    tracker.track('Clicked');
    tracker.page();
    expect(new Set(events.map((e) => e.anonymousId))).toEqual(new Set([tracker.anonymousId]));
    expect(events).toHaveLength(3);
  });

  it('refuses an unknown storage mode or endpoint, naming the option', () => {
    expect(() => createTracker({ storage: 'cookies' as never })).toThrow('beckon: storage must be cookie+local, local, session or memory, not "cookies"');
    expect(() => createTracker({ storage: 'memory', endpoint: 42 as never })).toThrow('beckon: endpoint must be a URL string');
  });

  it('with no store at all (memory mode) still has a stable id for the page', () => {
    const tracker = createTracker({ storage: 'memory' });
    const id = tracker.anonymousId;
    tracker.page();
    expect(tracker.anonymousId).toBe(id);
    expect(createTracker({ storage: 'memory' }).anonymousId).not.toBe(id);
  });
});

describe('identify and reset', () => {
  it('sends an identify carrying both ids, and later events carry the user id', () => {
    const { tracker, events } = setup();
    const anonymousId = tracker.anonymousId;
    tracker.track('Viewed');
    tracker.identify('user-7', { plan: 'pro' });
    tracker.track('Bought');
    expect(events.map((e) => [e.type, e.anonymousId, e.userId])).toEqual([
      ['track', anonymousId, undefined],
      ['identify', anonymousId, 'user-7'],
      ['track', anonymousId, 'user-7'],
    ]);
    expect(events[1]).toMatchObject({ traits: { plan: 'pro' } });
    expect(tracker.userId).toBe('user-7');
  });

  it('remembers the user across page loads', () => {
    const { tracker, cookie, local } = setup();
    tracker.identify('user-7');
    const next = setup({ stores: [cookie, local] }).tracker;
    expect([next.anonymousId, next.userId]).toEqual([tracker.anonymousId, 'user-7']);
  });

  it('starts a new anonymous id when a different user identifies on the same device', () => {
    const { tracker, events } = setup();
    tracker.identify('alice');
    const alice = tracker.anonymousId;
    tracker.identify('alice'); // the same user again: same anonymous id
    expect(tracker.anonymousId).toBe(alice);
    tracker.identify('bob');
    expect(tracker.anonymousId).not.toBe(alice);
    expect(events.map((e) => [e.userId, e.anonymousId === alice])).toEqual([
      ['alice', true],
      ['alice', true],
      ['bob', false],
    ]);
  });

  it('reset forgets the user and the anonymous id', () => {
    const { tracker, cookie, local, events } = setup();
    tracker.identify('alice');
    const before = tracker.anonymousId;
    tracker.reset();
    expect(tracker.userId).toBeUndefined();
    expect(tracker.anonymousId).not.toBe(before);
    tracker.track('After');
    expect(events.at(-1)).toMatchObject({ anonymousId: tracker.anonymousId });
    expect(events.at(-1)!.userId).toBeUndefined();
    expect([cookie.get('beckon_user_id'), local.get('beckon_user_id')]).toEqual([undefined, undefined]);
    expect(setup({ stores: [cookie, local] }).tracker.anonymousId).toBe(tracker.anonymousId);
  });

  it('onIdentify reports each change of user, and unsubscribes', () => {
    const { tracker } = setup();
    const changes: IdentifyChange[] = [];
    const stop = tracker.onIdentify((change) => changes.push(change));
    tracker.onIdentify(() => {
      throw new Error('a broken listener');
    });
    const first = tracker.anonymousId;
    tracker.identify('alice');
    tracker.identify('alice');
    tracker.identify('bob');
    stop();
    tracker.identify('carol');
    expect(changes).toEqual([
      { userId: 'alice', anonymousId: first, previousUserId: undefined, previousAnonymousId: first },
      { userId: 'bob', anonymousId: changes[1]!.anonymousId, previousUserId: 'alice', previousAnonymousId: first },
    ]);
    expect(changes[1]!.anonymousId).not.toBe(first);
  });

  it('picks up an identify or reset made in another tab at the next page view', () => {
    const a = setup();
    const b = setup({ stores: [a.cookie, a.local] });
    const changes: string[] = [];
    b.tracker.onIdentify((change) => changes.push(change.userId));
    a.tracker.identify('alice');
    b.tracker.page();
    expect(b.events.at(-1)).toMatchObject({ userId: 'alice' });
    expect(changes).toEqual(['alice']);
    a.tracker.reset();
    b.tracker.page();
    expect(b.events.at(-1)).toMatchObject({ anonymousId: a.tracker.anonymousId });
    expect(b.events.at(-1)!.userId).toBeUndefined();
  });
});

describe('events', () => {
  it('are Segment-spec shaped and pass the collector schema', () => {
    const { tracker, events } = setup({ library: { name: '@beckon/web', version: '1.2.3' } });
    tracker.page();
    tracker.page('Pricing', { plan: 'pro' });
    tracker.screen('Checkout');
    tracker.track(MESSAGE_EVENTS.shown, { message_id: 'coupon', layout: 'modal' });
    tracker.identify('user-7', { email: 'a@b.test' });
    expect(parseBatch({ batch: events })).toEqual({ ok: true, batch: JSON.parse(JSON.stringify(events)) });
    expect(new Set(events.map((e) => e.messageId)).size).toBe(5);
    expect(events[3]).toEqual({
      type: 'track',
      event: 'Message Shown',
      messageId: 'id-5',
      anonymousId: 'id-1',
      userId: undefined,
      timestamp: '2026-01-31T12:00:00.000Z',
      properties: { message_id: 'coupon', layout: 'modal' },
      context: { page, locale: 'en-GB', library: { name: '@beckon/web', version: '1.2.3' } },
    });
    expect(events[1]).toMatchObject({ type: 'page', name: 'Pricing', properties: { plan: 'pro' } });
    expect(events[2]).toMatchObject({ type: 'screen', name: 'Checkout', properties: {} });
  });

  it('refuse bad arguments with a warning naming the problem, and never throw', () => {
    const { tracker, events, warnings } = setup();
    const loose = tracker as unknown as Record<string, (...args: unknown[]) => unknown>;
    expect(loose.track!('')).toBeUndefined();
    expect(loose.track!(42)).toBeUndefined();
    expect(loose.track!('Clicked', ['not', 'an', 'object'])).toBeUndefined();
    expect(loose.screen!(undefined)).toBeUndefined();
    expect(loose.page!('x'.repeat(201))).toBeUndefined();
    expect(loose.page!(null)).toBeUndefined(); // the collector would refuse a null name, and the batch with it
    expect(loose.identify!('')).toBeUndefined();
    expect(tracker.userId).toBeUndefined();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(tracker.track('Cyclic', cyclic)).toBeUndefined();
    expect(tracker.track('Big', { n: 10n } as Record<string, unknown>)).toBeUndefined();
    expect(events).toEqual([]);
    expect(warnings.slice(0, 5)).toEqual([
      '[beckon] track() dropped an event: event must be a string of 1 to 200 characters',
      '[beckon] track() dropped an event: properties must be a plain object',
      '[beckon] screen() dropped an event: name must be a string of 1 to 200 characters',
      '[beckon] page() dropped an event: name must be a string of 1 to 200 characters',
      '[beckon] identify() dropped an event: userId must be a string of 1 to 200 characters',
    ]);
    expect(warnings[5]).toMatch(/^\[beckon\] track\(\) dropped an event: properties are not JSON \(TypeError: .*circular/i);
    expect(tracker.stats().dropped.invalid).toBe(9);
  });

  it('rejects an event over 32 kB with a warning and records the others', () => {
    const { tracker, events, warnings } = setup();
    tracker.track('Small');
    expect(tracker.track('Huge', { text: 'x'.repeat(33_000) })).toBeUndefined();
    // Multi-byte characters count as the bytes they take: 11,100 × 3 bytes is over the limit.
    expect(tracker.track('Wide', { text: '€'.repeat(11_100) })).toBeUndefined();
    expect(tracker.track('Fits', { text: '€'.repeat(10_000) })).toBeDefined();
    tracker.track('Small again');
    expect(events.map((e) => (e as { event: string }).event)).toEqual(['Small', 'Fits', 'Small again']);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^\[beckon\] track\(\) dropped an event of 33\d\d\d bytes \(limit 32768\)$/);
    expect(tracker.stats()).toMatchObject({ accepted: 3, dropped: { tooLarge: 2 } });
  });

  it('an identify refused for its size does not switch the user', () => {
    const { tracker } = setup();
    tracker.identify('alice');
    const before = tracker.anonymousId;
    expect(tracker.identify('bob', { bio: 'x'.repeat(40_000) })).toBeUndefined();
    expect([tracker.userId, tracker.anonymousId]).toEqual(['alice', before]);
  });

  it('close stops recording', () => {
    const { tracker, events } = setup();
    tracker.close();
    expect(tracker.track('Late')).toBeUndefined();
    expect(events).toEqual([]);
  });
});

describe('destinations', () => {
  it('a destination that throws or rejects never stops the others, and is counted and warned about once', async () => {
    const seen: string[] = [];
    const throwing: Destination = {
      name: 'throws',
      track() {
        throw new Error('boom');
      },
      flush() {
        throw new Error('flush boom');
      },
    };
    const rejecting = callbackDestination('rejects', async () => {
      throw new Error('later boom');
    });
    const { tracker, warnings } = setup({
      destinations: [throwing, rejecting, callbackDestination('works', (event) => void seen.push(event.messageId))],
    });
    tracker.track('One');
    tracker.track('Two');
    await tracker.flush();
    await Promise.resolve();
    expect(seen).toEqual(['id-2', 'id-3']);
    expect(tracker.stats()).toMatchObject({ accepted: 2, destinationErrors: 5 });
    expect(warnings).toEqual(['[beckon] destination "throws" failed: Error: boom', '[beckon] destination "rejects" failed: Error: later boom']);
  });

  it('hands each destination the event and its JSON', () => {
    const received: Array<[BeckonEvent, string]> = [];
    const { tracker } = setup({ destinations: [{ name: 'raw', track: (event, json) => void received.push([event, json]) }] });
    const event = tracker.track('Clicked', { a: 1 });
    expect(received).toEqual([[event, JSON.stringify(event)]]);
  });
});
