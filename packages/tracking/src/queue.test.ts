import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_BATCH_LENGTH, MAX_UNLOAD_BYTES } from './limits.js';
import type { PageLifecycle } from './platform.js';
import { createDeliveryQueue, type DeliveryQueueOptions, type SendResult } from './queue.js';
import { memoryStore, type KeyValueStore } from './storage.js';
import type { TrackEvent } from './types.js';

const event = (i: number, padding = 0): TrackEvent => ({
  type: 'track',
  event: 'Clicked',
  messageId: `m${i}`,
  anonymousId: 'a1',
  timestamp: '2026-01-31T12:00:00.000Z',
  properties: { i, padding: 'x'.repeat(padding) },
});

interface Request {
  ids: string[];
  keepalive: boolean;
  bytes: number;
}

/** A page's view of the network, with the online state and page events under the test's control. */
function fakeLifecycle() {
  let handlers: Parameters<PageLifecycle['watch']>[0] | undefined;
  let online = true;
  const lifecycle: PageLifecycle = {
    online: () => online,
    watch(h) {
      handlers = h;
      return () => (handlers = undefined);
    },
  };
  return {
    lifecycle,
    hide: (closing: boolean) => handlers?.hide(closing),
    show: () => handlers?.show(),
    offline: () => ((online = false), handlers?.offline()),
    online: () => ((online = true), handlers?.online()),
    get watching() {
      return handlers !== undefined;
    },
  };
}

let seed = 0;
/** A queue whose requests are recorded and answered by `answer` (200 unless told otherwise). */
function setup(options: Partial<DeliveryQueueOptions> & { answer?: (request: Request) => Promise<SendResult> | SendResult } = {}) {
  const requests: Request[] = [];
  const warnings: string[] = [];
  const page = fakeLifecycle();
  const store = options.store ?? memoryStore();
  const queue = createDeliveryQueue({
    store,
    flushAt: 3,
    flushInterval: 1000,
    now: () => Date.now(),
    // Distinct per queue, so two queues on one store (two page loads) get different keys; zero jitter otherwise.
    random: ((first = ++seed / 1000, calls = 0) => () => (calls++ === 0 ? first : 0))(),
    lifecycle: page.lifecycle,
    warn: (message) => warnings.push(message),
    ...options,
    send: async (body, { keepalive }) => {
      const request = { ids: (JSON.parse(body) as { batch: TrackEvent[] }).batch.map((e) => e.messageId), keepalive, bytes: Buffer.byteLength(body) };
      requests.push(request);
      return (options.answer ?? (() => ({ status: 200 })))(request);
    },
  });
  const push = (...events: TrackEvent[]) => events.forEach((e) => queue.push(e.messageId, JSON.stringify(e)));
  const sentIds = () => requests.flatMap((r) => r.ids);
  return { queue, requests, warnings, page, store, push, sentIds };
}

/** Every event stored under the queue prefix (`beckon:queue:<page>:<id>`), by any page, oldest first. */
function storedIds(store: KeyValueStore): string[] {
  return (store.keys?.() ?? [])
    .filter((key) => /^beckon:queue:[^:]+:/.test(key))
    .map((key) => (JSON.parse(store.get(key)!) as TrackEvent).messageId);
}

/** Stores events as a page with the given heartbeat (undefined: a page that has gone) would. */
function leave(store: KeyValueStore, page: string, heartbeat: number | undefined, events: unknown[]) {
  if (heartbeat !== undefined) store.set(`beckon:queue:${page}`, String(heartbeat));
  events.forEach((e, i) => store.set(`beckon:queue:${page}:${(e as TrackEvent | null)?.messageId ?? i}`, typeof e === 'string' ? e : JSON.stringify(e)));
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(Date.parse('2026-01-31T12:00:00Z'));
});
afterEach(() => vi.useRealTimers());

describe('batching', () => {
  it('sends as soon as flushAt events wait, oldest first, in one request', async () => {
    const { push, requests } = setup();
    push(event(1), event(2));
    await vi.advanceTimersByTimeAsync(0);
    expect(requests).toEqual([]);
    push(event(3));
    await vi.advanceTimersByTimeAsync(0);
    expect(requests.map((r) => r.ids)).toEqual([['m1', 'm2', 'm3']]);
    expect(requests[0]!.keepalive).toBe(false);
  });

  it('sends fewer events once flushInterval has passed since the first', async () => {
    const { push, requests, queue } = setup();
    push(event(1));
    await vi.advanceTimersByTimeAsync(999);
    expect(requests).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests.map((r) => r.ids)).toEqual([['m1']]);
    expect(queue.stats()).toMatchObject({ sent: 1, queued: 0, retries: 0 });
  });

  it(`never puts more than ${MAX_BATCH_LENGTH} events or 512 kB in one request`, async () => {
    const { push, requests, queue } = setup({ flushAt: 5000, maxQueueLength: 5000 });
    push(...Array.from({ length: 1200 }, (_, i) => event(i)));
    await queue.flush();
    expect(requests.map((r) => r.ids.length)).toEqual([500, 500, 200]);

    requests.length = 0;
    push(...Array.from({ length: 40 }, (_, i) => event(2000 + i, 30_000)));
    await queue.flush();
    expect(requests.every((r) => r.bytes <= 512 * 1024)).toBe(true);
    expect(requests.map((r) => r.ids.length)).toEqual([17, 17, 6]);
    expect(queue.stats()).toMatchObject({ sent: 1240, queued: 0 });
  });
});

describe('failures', () => {
  it('retries a failed batch with growing backoff, keeping its events stored until acknowledged', async () => {
    let status = 500;
    const { push, requests, queue, store } = setup({ answer: () => ({ status }) });
    push(event(1), event(2), event(3));
    await vi.advanceTimersByTimeAsync(0);
    expect(requests).toHaveLength(1);
    expect(storedIds(store)).toEqual(['m1', 'm2', 'm3']);
    // random() is 0: waits are 500, 1000, 2000 ms.
    await vi.advanceTimersByTimeAsync(499);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(requests).toHaveLength(3);
    status = 200;
    push(event(4)); // waiting out the backoff, not sent on its own
    await vi.advanceTimersByTimeAsync(1999);
    expect(requests).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    const first = ['m1', 'm2', 'm3'];
    expect(requests.map((r) => r.ids)).toEqual([first, first, first, [...first, 'm4']]);
    expect(queue.stats()).toMatchObject({ sent: 4, queued: 0, retries: 3 });
    expect(storedIds(store)).toEqual([]);
  });

  it('honours Retry-After when it asks for longer than the backoff', async () => {
    const answers: SendResult[] = [{ status: 429, retryAfter: '30' }, { status: 503, retryAfter: 'Sat, 31 Jan 2026 12:01:00 GMT' }, { status: 200 }];
    const { push, requests } = setup({ answer: () => answers.shift()! });
    push(event(1), event(2), event(3));
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests).toHaveLength(2);
    // The date is 30 s after the second attempt (made at 12:00:30).
    await vi.advanceTimersByTimeAsync(29_999);
    expect(requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests).toHaveLength(3);
  });

  it('retries 408, 429, 5xx and network errors, and drops other 4xx with one warning per status', async () => {
    const answers: Array<SendResult | Error> = [{ status: 408 }, new Error('offline'), { status: 400 }, { status: 400 }, { status: 413 }];
    const { push, requests, queue, warnings, store } = setup({
      flushAt: 1,
      answer: () => {
        const answer = answers.shift()!;
        if (answer instanceof Error) throw answer;
        return answer;
      },
    });
    push(event(1));
    await vi.advanceTimersByTimeAsync(2000);
    expect(requests.map((r) => r.ids)).toEqual([['m1'], ['m1'], ['m1']]);
    push(event(2));
    await vi.advanceTimersByTimeAsync(0);
    push(event(3));
    await vi.advanceTimersByTimeAsync(0);
    expect(requests).toHaveLength(5);
    expect(queue.stats()).toMatchObject({ sent: 0, queued: 0, retries: 2, dropped: { rejected: 3 } });
    expect(warnings).toEqual([
      '[beckon] HTTP 400: 1 event(s) dropped',
      '[beckon] HTTP 413: 1 event(s) dropped',
    ]);
    expect(storedIds(store)).toEqual([]);
  });

  it('drops the events a 2xx answer lists as refused, counts them, and never sends them again', async () => {
    const { push, requests, queue, warnings } = setup({
      answer: (r) => ({ status: 200, refused: r.ids.includes('m2') ? [{ index: 1, reason: 'batch[1]: nests objects or arrays more than 32 levels deep' }] : [] }),
    });
    push(event(1), event(2), event(3));
    await queue.flush();
    push(event(4));
    await queue.flush();
    expect(requests.map((r) => r.ids)).toEqual([['m1', 'm2', 'm3'], ['m4']]);
    expect(queue.stats()).toMatchObject({ sent: 3, queued: 0, dropped: { rejected: 1 } });
    expect(warnings).toEqual(['[beckon] 1 event(s) refused: batch[1]: nests objects or arrays more than 32 levels deep']);
  });

  it('gives up on events after maxAttempts failed requests, with one warning, and goes on with newer ones', async () => {
    let status = 500;
    const { push, requests, queue, warnings, store } = setup({ maxAttempts: 3, answer: () => ({ status }) });
    push(event(1), event(2), event(3));
    // random() is 0: attempts at 0, 500 and 1500 ms.
    await vi.advanceTimersByTimeAsync(1500);
    expect(requests).toHaveLength(3);
    expect(queue.stats()).toMatchObject({ queued: 0, retries: 3, dropped: { expired: 3 } });
    expect(storedIds(store)).toEqual([]);
    expect(warnings).toEqual(['[beckon] 3 event(s) given up']);
    status = 200;
    push(event(4));
    await vi.advanceTimersByTimeAsync(2000);
    expect(requests.map((r) => r.ids).slice(3)).toEqual([['m4']]);
    expect(queue.stats()).toMatchObject({ sent: 1, queued: 0 });
  });

  it('gives up on events older than maxAge when a request of them fails', async () => {
    const { push, requests, queue } = setup({ maxAge: 60_000, answer: () => ({ status: 503 }) });
    push(event(1), event(2), event(3));
    // Attempts at 0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 and 63.5 s: the last one fails past the minute.
    await vi.advanceTimersByTimeAsync(63_500);
    expect(requests).toHaveLength(8);
    expect(queue.stats()).toMatchObject({ queued: 0, dropped: { expired: 3 } });
  });

  it('stamps each request with sentAt, the clock when it is sent, so a collector can correct a wrong clock', async () => {
    const bodies: string[] = [];
    const queue = createDeliveryQueue({ flushAt: 1, now: () => Date.parse('2027-06-01T00:00:00.000Z'), send: async (body) => (bodies.push(body), { status: 200 }) });
    queue.push('m1', JSON.stringify(event(1)));
    await queue.flush();
    expect(JSON.parse(bodies[0]!)).toMatchObject({ batch: [{ messageId: 'm1' }], sentAt: '2027-06-01T00:00:00.000Z' });
    queue.close();
  });

  it('gives up on a request that hangs past the timeout and sends again; the late answer changes nothing', async () => {
    let hang = true;
    const { push, requests, queue } = setup({
      timeout: 5000,
      answer: () => (hang ? new Promise<SendResult>((resolve) => setTimeout(() => resolve({ status: 200 }), 60_000)) : { status: 200 }),
    });
    push(event(1), event(2), event(3));
    await vi.advanceTimersByTimeAsync(5000);
    expect(queue.stats()).toMatchObject({ sent: 0, queued: 3, retries: 1 });
    hang = false;
    await vi.advanceTimersByTimeAsync(500);
    expect(requests).toHaveLength(2);
    expect(queue.stats()).toMatchObject({ sent: 3, queued: 0 });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(queue.stats()).toMatchObject({ sent: 3, queued: 0, retries: 1 });
  });

  it('a retry that comes due while another request is still out never leaves later events waiting', async () => {
    // Request 1 (a flush) is answered after 3 s; request 2 (sent as the page hides) fails at once, and its retry
    // comes due while request 1 is still out.
    const answers: Array<() => Promise<SendResult> | SendResult> = [
      () => new Promise((resolve) => setTimeout(() => resolve({ status: 200 }), 3000)),
      () => {
        throw new Error('the network blinked');
      },
    ];
    const { push, requests, queue, page } = setup({ flushAt: 100, answer: () => (answers.shift() ?? (() => ({ status: 200 })))() });
    push(event(1));
    void queue.flush();
    push(event(2));
    page.hide(false);
    await vi.advanceTimersByTimeAsync(3000);
    expect(queue.stats()).toMatchObject({ sent: 2, queued: 0, retries: 1 });
    push(event(3));
    await vi.advanceTimersByTimeAsync(1000);
    expect(requests.at(-1)!.ids).toEqual(['m3']);
    expect(queue.stats()).toMatchObject({ sent: 3, queued: 0 });
  });

  it('keeps working while the clock jumps back and forth, and loses nothing', async () => {
    let skew = 0;
    let status = 503;
    const { push, queue, sentIds, store } = setup({ now: () => Date.now() + skew, answer: () => ({ status }) });
    push(event(1), event(2), event(3));
    await vi.advanceTimersByTimeAsync(0);
    skew = -86_400_000; // a day back
    push(event(4));
    await vi.advanceTimersByTimeAsync(5000);
    skew = 365 * 86_400_000; // a year ahead
    push(event(5), event(6));
    status = 200;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(new Set(sentIds())).toEqual(new Set(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']));
    expect(queue.stats()).toMatchObject({ queued: 0, dropped: { overflow: 0, invalid: 0, rejected: 0 } });
    expect(storedIds(store)).toEqual([]);
  });

  it('keeps delivering when every storage call throws', async () => {
    const broken: KeyValueStore = {
      get: () => {
        throw new Error('SecurityError');
      },
      set: () => {
        throw new Error('QuotaExceededError');
      },
      remove: () => {
        throw new Error('SecurityError');
      },
      keys: () => {
        throw new Error('SecurityError');
      },
    };
    const { push, requests, queue } = setup({ store: broken });
    push(event(1), event(2), event(3));
    await vi.advanceTimersByTimeAsync(0);
    expect(requests.map((r) => r.ids)).toEqual([['m1', 'm2', 'm3']]);
    expect(queue.stats().sent).toBe(3);
  });
});

describe('persistence across page loads', () => {
  it('a page that unloads with unsent events leaves them to the next page, which sends each once', async () => {
    const store = memoryStore();
    const first = setup({ store, answer: () => ({ status: 503 }) });
    first.push(event(1), event(2));
    await vi.advanceTimersByTimeAsync(0);
    first.page.offline(); // so the unload cannot send them either
    first.page.hide(true);
    first.queue.close();

    const second = setup({ store });
    await vi.advanceTimersByTimeAsync(0);
    expect(second.sentIds()).toEqual(['m1', 'm2']);
    expect(storedIds(store)).toEqual([]);
    expect(store.keys!()).toEqual([]);
  });

  it('writes one small item per recorded event, however long the queue is', async () => {
    const store = memoryStore();
    const writes: Array<[string, number]> = [];
    const counting: KeyValueStore = { ...store, set: (key, value) => (writes.push([key, value.length]), store.set(key, value)) };
    const { push, page } = setup({ store: counting, maxQueueLength: 5000 });
    page.offline();
    push(...Array.from({ length: 2000 }, (_, i) => event(i)));
    writes.length = 0;
    push(event(9999));
    expect(writes).toEqual([[expect.stringMatching(/^beckon:queue:[^:]+:m9999$/), JSON.stringify(event(9999)).length]]);
  });

  it('a page that keeps retrying keeps its heartbeat fresh, so another page does not take its events', async () => {
    const store = memoryStore();
    const busy = setup({ store, staleAfter: 60_000, maxAttempts: 1000, answer: () => ({ status: 503 }) });
    busy.push(event(1), event(2), event(3));
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    const other = setup({ store, staleAfter: 60_000 });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(other.sentIds()).toEqual([]);
    expect(busy.requests.length).toBeGreaterThan(5);
    busy.queue.close(); // the page goes: its events are free at once
    await other.queue.flush();
    expect(other.sentIds()).toEqual(['m1', 'm2', 'm3']);
  });

  it.each([
    ['a heartbeat a moment ago (its tab may be busy, or may have died without pagehide)', 0, 60_000],
    ['a heartbeat an hour ahead (the clock went back): it waits longer, never shorter', 3_600_000, 3_660_000],
  ])('leaves the events of a page with %s until the heartbeat is stale', async (_, ahead, stale) => {
    const store = memoryStore();
    leave(store, 'other', Date.now() + ahead, [event(1)]);
    const next = setup({ store, staleAfter: 60_000 });
    await vi.advanceTimersByTimeAsync(stale - 1000);
    expect(next.sentIds()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(next.sentIds()).toEqual(['m1']);
  });

  it('skips garbage in storage, counts it, and still sends the good events', async () => {
    const store = memoryStore();
    leave(store, 'a', undefined, ['{not json', '"nope"']);
    leave(store, 'b', undefined, [event(1), null, { ...event(2), timestamp: 'yesterday' }, { ...event(3), event: '' }, { type: 'alert' }, event(4)]);
    leave(store, 'c', 0, [event(1)]); // the same event, left by two pages
    store.set('beckon:queue:gone', 'not a time'); // a heartbeat with nothing left to take
    store.set('unrelated', 'kept');
    const { sentIds, queue } = setup({ store });
    await vi.advanceTimersByTimeAsync(0);
    expect(sentIds()).toEqual(['m1', 'm4']);
    expect(queue.stats().dropped.invalid).toBe(6);
    expect(store.keys!()).toEqual(['unrelated']);
  });

  it('keeps at most maxQueueLength events, dropping the oldest and counting them', async () => {
    const { push, page, queue, store } = setup({ maxQueueLength: 5 });
    page.offline();
    push(...Array.from({ length: 8 }, (_, i) => event(i)));
    await vi.advanceTimersByTimeAsync(0);
    expect(storedIds(store)).toEqual(['m3', 'm4', 'm5', 'm6', 'm7']);
    expect(queue.stats()).toMatchObject({ queued: 5, dropped: { overflow: 3 } });
  });

  it('close stops timers and listeners but keeps unsent events stored', async () => {
    const { push, queue, requests, page, store } = setup();
    push(event(1));
    queue.close();
    expect(page.watching).toBe(false);
    await vi.advanceTimersByTimeAsync(10_000);
    await queue.flush();
    expect(requests).toEqual([]);
    expect(storedIds(store)).toEqual(['m1']);
  });
});

describe('page lifecycle', () => {
  it('pauses while offline and sends at once when back online', async () => {
    const { push, requests, page } = setup();
    page.offline();
    push(event(1), event(2), event(3), event(4));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(requests).toEqual([]);
    page.online();
    await vi.advanceTimersByTimeAsync(0);
    expect(requests.map((r) => r.ids)).toEqual([['m1', 'm2', 'm3', 'm4']]);
  });

  it('sends everything waiting in keepalive requests of at most 64 kB when the page hides', async () => {
    const { push, requests, page, store } = setup({ flushAt: 1000 });
    push(...Array.from({ length: 12 }, (_, i) => event(i, 20_000)));
    page.hide(true);
    expect(requests.length).toBeGreaterThanOrEqual(4);
    expect(requests.every((r) => r.keepalive && r.bytes <= MAX_UNLOAD_BYTES)).toBe(true);
    expect(requests.flatMap((r) => r.ids).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `m${i}`).sort());
    // Stored until the answers come, for the next page if this one is gone before they do.
    expect(storedIds(store)).toHaveLength(12);
    await vi.advanceTimersByTimeAsync(0);
    expect(storedIds(store)).toEqual([]);
  });

  it('sends what waits at once when shown again after an unload that did not complete (back/forward cache)', async () => {
    // The unload's keepalive request fails, so the event waits for a retry a backoff away (1 s and more).
    let answers = 0;
    const { push, requests, page } = setup({ flushAt: 1000, answer: () => ({ status: answers++ ? 200 : 503 }) });
    push(event(1));
    page.hide(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(requests.map((r) => [r.ids, r.keepalive])).toEqual([[['m1'], true]]);
    page.show();
    await vi.advanceTimersByTimeAsync(0);
    expect(requests.map((r) => [r.ids, r.keepalive])).toEqual([[['m1'], true], [['m1'], false]]);
  });

  it('takes its events back when shown again, so a page opened meanwhile does not send them too', async () => {
    const store = memoryStore();
    const first = setup({ store, flushAt: 1000 });
    first.page.offline(); // the unload cannot send them
    first.push(event(1));
    first.page.hide(true); // frozen in the back/forward cache: its events are free for the next page
    first.page.show(); // restored: they are its own again
    const other = setup({ store });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(other.sentIds()).toEqual([]);
    first.page.online();
    await vi.advanceTimersByTimeAsync(0);
    expect(first.sentIds()).toEqual(['m1']);
  });
});
