import { describe, expect, it } from 'vitest';
import { forgetStores } from './consent.js';
import type { Destination } from './destinations.js';
import { memoryStore, type KeyValueStore } from './storage.js';
import { createTracker, type TrackerOptions } from './tracker.js';
import type { BeckonEvent } from './types.js';

/** A store that records every write and read, to prove none happened. */
function watched(): KeyValueStore & { touched: string[] } {
  const inner = memoryStore();
  const touched: string[] = [];
  return {
    touched,
    get: (key) => (touched.push(`get ${key}`), inner.get(key)),
    set: (key, value) => (touched.push(`set ${key}`), inner.set(key, value)),
    remove: (key) => (touched.push(`remove ${key}`), inner.remove(key)),
    keys: () => (touched.push('keys'), inner.keys!()),
  };
}

/** A destination that records what it received, flushes and closes. */
function recorder() {
  const received: BeckonEvent[] = [];
  let closed = 0;
  const destination: Destination = { name: 'recorder', track: (event) => void received.push(event), close: () => void closed++ };
  return { destination, received, closed: () => closed };
}

function setup(options: TrackerOptions = {}) {
  const store = watched();
  const { destination, received, closed } = recorder();
  const warnings: string[] = [];
  let ids = 0;
  const tracker = createTracker({ stores: [store], randomId: () => `id-${++ids}`, context: () => ({}), warn: (w) => void warnings.push(w), destinations: [destination], ...options });
  return { tracker, store, received, closed, warnings };
}

const names = (events: BeckonEvent[]) => events.map((e) => (e.type === 'track' ? e.event : e.type));

describe('consent: pending', () => {
  it('reads and writes no store and hands nothing to a destination, yet records events and answers with them', () => {
    const { tracker, store, received } = setup({ consent: 'pending' });
    expect(tracker.page()).toBeDefined();
    expect(tracker.track('one')).toMatchObject({ event: 'one' });
    tracker.identify('user-1');
    tracker.reset();
    void tracker.flush();
    expect(store.touched).toEqual([]);
    expect(received).toEqual([]);
    expect(tracker.consent()).toBe('pending');
  });

  it('on granted: the id moves to the store, and the waiting events go out in order, once each, with it', () => {
    const { tracker, store, received } = setup({ consent: 'pending' });
    tracker.page();
    tracker.track('one');
    tracker.track('two');
    const id = tracker.anonymousId;
    expect(tracker.consent('granted')).toBe('granted');
    expect(names(received)).toEqual(['page', 'one', 'two']);
    expect(received.every((e) => e.anonymousId === id)).toBe(true);
    expect(store.get('beckon_anonymous_id')).toBe(id);
    tracker.consent('granted');
    tracker.track('three');
    expect(names(received)).toEqual(['page', 'one', 'two', 'three']);
  });

  it('on granted, an id already stored is the visitor’s: it wins, and the waiting events carry it', () => {
    const { tracker, store, received } = setup({ consent: 'pending' });
    store.set('beckon_anonymous_id', 'returning');
    store.set('beckon_user_id', 'user-5');
    tracker.track('one');
    expect(tracker.anonymousId).not.toBe('returning');
    tracker.consent('granted');
    expect(tracker).toMatchObject({ anonymousId: 'returning', userId: 'user-5' });
    expect(received.map((e) => e.anonymousId)).toEqual(['returning']);
  });

  it('on granted, a visitor who signed in while pending stays signed in', () => {
    const { tracker, store } = setup({ consent: 'pending' });
    store.set('beckon_anonymous_id', 'returning');
    tracker.identify('user-8');
    const id = tracker.anonymousId;
    tracker.consent('granted');
    expect(tracker).toMatchObject({ anonymousId: id, userId: 'user-8' });
    expect(store.get('beckon_user_id')).toBe('user-8');
  });

  it('keeps at most maxQueueLength events waiting, dropping the oldest', () => {
    const { tracker, received } = setup({ consent: 'pending', maxQueueLength: 2 });
    for (const name of ['a', 'b', 'c']) tracker.track(name);
    expect(tracker.stats().dropped.overflow).toBe(1);
    tracker.consent('granted');
    expect(names(received)).toEqual(['b', 'c']);
  });
});

describe('consent: denied', () => {
  it('from pending: drops the waiting events, sends nothing after, and removes Beckon’s keys only', () => {
    const { tracker, store, received } = setup({ consent: 'pending' });
    store.set('beckon_anonymous_id', 'old');
    store.set('beckon:queue:abc:1', '{}');
    store.set('site_key', 'kept');
    tracker.track('waiting');
    tracker.consent('denied');
    expect(['beckon_anonymous_id', 'beckon:queue:abc:1', 'site_key'].map((key) => store.get(key) ?? null)).toEqual([null, null, 'kept']);
    expect(tracker.track('later')).toBeDefined();
    // Granted again: what was recorded before or while denied is never sent.
    tracker.consent('granted');
    tracker.track('now');
    expect(names(received)).toEqual(['now']);
  });

  it('from granted: closes the destinations, forgets the stores and goes on in memory with the same id', () => {
    const { tracker, store, received, closed } = setup();
    tracker.track('before');
    const id = tracker.anonymousId;
    expect(store.get('beckon_anonymous_id')).toBe(id);
    tracker.consent('denied');
    expect(closed()).toBe(1);
    expect(store.get('beckon_anonymous_id')).toBeUndefined();
    store.touched.length = 0;
    tracker.track('after');
    tracker.identify('user-2');
    expect(store.touched).toEqual([]);
    expect(names(received)).toEqual(['before']);
    expect(tracker.anonymousId).toBe(id);
  });

  it('at start: Beckon’s keys are removed before anything else', () => {
    const store = memoryStore();
    store.set('beckon_anonymous_id', 'old');
    store.set('beckon_ledger', '{}');
    const tracker = createTracker({ stores: [store], consent: 'denied' });
    expect(store.keys!()).toEqual([]);
    expect(tracker.anonymousId).not.toBe('old');
  });
});

describe('consent: bad input', () => {
  it('is warned about once and taken as pending: nothing stored, nothing sent', () => {
    const { tracker, store, received, warnings } = setup({ consent: 'yes' as never });
    tracker.track('one');
    expect(tracker.consent()).toBe('pending');
    expect(store.touched).toEqual([]);
    expect(received).toEqual([]);
    expect(warnings).toEqual(['[beckon] consent must be granted, pending or denied, not "yes": pending']);
  });
});

describe('forgetStores', () => {
  it('removes the ids from a store that cannot list its keys (cookies), and every beckon key from one that can', () => {
    const removed: string[] = [];
    const cookies: KeyValueStore = { get: () => null, set: () => undefined, remove: (key) => void removed.push(key) };
    const local = memoryStore();
    for (const key of ['beckon_ledger', 'beckon_user_id', 'beckon:queue:p', 'beckonish', 'other']) local.set(key, '1');
    forgetStores([cookies, local, undefined]);
    expect(removed).toEqual(['beckon_anonymous_id', 'beckon_user_id']);
    expect(local.keys!().sort()).toEqual(['beckonish', 'other']);
  });
});
