// The delivery queue: batches events, sends them, retries with backoff, and keeps every unsent event
// in storage until the collector acknowledges it, so nothing accepted is lost across reloads.
import { backoff, parseRetryAfter } from './backoff.js';
import { isEvent, utf8Length } from './event.js';
import { MAX_BATCH_BYTES, MAX_BATCH_LENGTH, MAX_UNLOAD_BYTES } from './limits.js';
import type { PageLifecycle, Timers } from './platform.js';
import { safely, safeStore, type KeyValueStore } from './storage.js';
import { onceEach } from './warn.js';

/** The collector's answer to one request. */
export interface SendResult {
  /** HTTP status. */
  status: number;
  /** The `Retry-After` header, if any. */
  retryAfter?: string | null;
  /** Events of a 2xx answer the collector refused, by their index in the request's batch (`refused` of its body). */
  refused?: ReadonlyArray<{ index: number; reason?: string }>;
}

/** Sends one request body (`{"batch":[...]}`); rejects when the network fails. */
export type Send = (body: string, options: { keepalive: boolean }) => Promise<SendResult>;

/** Why events were given up. */
export interface DroppedCounts {
  /** Larger than 32 kB. */
  tooLarge: number;
  /** Not a valid event (bad arguments, unserialisable properties, garbage in storage). */
  invalid: number;
  /** Refused by the collector with a 4xx other than 408 and 429. */
  rejected: number;
  /** Oldest events pushed out of a full queue. */
  overflow: number;
  /** Given up after `maxAttempts` failed requests, or older than `maxAge` when one failed: the collector kept failing. */
  expired: number;
}

/** Delivery counters, for dashboards and demos. */
export interface DeliveryStats {
  /** Events the collector acknowledged. */
  sent: number;
  /** Events waiting to be sent (including those in flight). */
  queued: number;
  /** Failed requests that were scheduled again. */
  retries: number;
  /** Events given up, by reason. */
  dropped: DroppedCounts;
}

/** Retry timing; see `backoff`. */
export interface RetryOptions {
  /** Delay before the first retry, in ms (1000). */
  minTimeout?: number;
  /** Longest delay, in ms (60000). */
  maxTimeout?: number;
  /** Growth per attempt (2). */
  factor?: number;
}

/** Options of `createDeliveryQueue`. */
export interface DeliveryQueueOptions {
  send: Send;
  /** Where unsent events are kept between page loads (memory when absent or failing). */
  store?: KeyValueStore;
  /** Send as soon as this many events wait (20). */
  flushAt?: number;
  /** Send at most this long after an event arrives, in ms (5000). */
  flushInterval?: number;
  /** Most events kept; the oldest are dropped beyond it (1000). */
  maxQueueLength?: number;
  /** A request without an answer after this many ms counts as failed (10000). */
  timeout?: number;
  /** Failed requests after which an event is given up (20: a quarter of an hour), so no batch holds the queue for ever. */
  maxAttempts?: number;
  /** An event older than this (ms since it was recorded) is given up when its request fails (86400000, a day). */
  maxAge?: number;
  /** Backoff between retries. */
  retry?: RetryOptions;
  /** The counters to add to (a fresh set when absent); the tracker shares its own. */
  counts?: DeliveryStats;
  /** A queue left by another page whose owner has not written it for this long is taken over, in ms (120000). */
  staleAfter?: number;
  /** The clock, in epoch ms (`Date.now`). */
  now?: () => number;
  /** Random numbers in [0, 1) for jitter (`Math.random`). */
  random?: () => number;
  /** `setTimeout`/`clearTimeout` (the global ones). */
  timers?: Timers;
  /** Page hide/show and online/offline (none: always online, never hidden). */
  lifecycle?: PageLifecycle;
  /** Where the one warning per refused status goes (`console.warn`). */
  warn?: (message: string) => void;
}

/** A running delivery queue. */
export interface DeliveryQueue {
  /** Queues one event, already serialised; `id` is its messageId. */
  push(id: string, json: string): void;
  /** Sends everything waiting now; resolves once each batch was answered or scheduled for retry. */
  flush(): Promise<void>;
  stats(): DeliveryStats;
  /** Stops timers and listeners; unsent events stay in storage for the next page. */
  close(): void;
}

/** Counters at zero. */
export const newStats = (): DeliveryStats => ({ sent: 0, queued: 0, retries: 0, dropped: { tooLarge: 0, invalid: 0, rejected: 0, overflow: 0, expired: 0 } });

/** A queue's storage keys: `beckon:queue:<page>` holds a heartbeat, `beckon:queue:<page>:<event id>` an event. */
const queueKey = /^(beckon:queue:[^:]+)(:.+)?$/;

/** Creates the queue, taking over events left in storage by earlier pages. */
export function createDeliveryQueue(options: DeliveryQueueOptions): DeliveryQueue {
  const {
    send,
    flushAt = 20,
    flushInterval = 5000,
    maxQueueLength = 1000,
    timeout = 10_000,
    maxAttempts = 20,
    maxAge = 86_400_000,
    retry,
    staleAfter = 120_000,
    now = Date.now,
    random = Math.random,
    // The global timers, looked up on globalThis when called (so fake timers in tests apply).
    timers = globalThis as Timers,
    lifecycle,
  } = options;
  const warnOnce = onceEach(options.warn ?? console.warn);
  const store = safeStore(options.store);
  // This page's keys: `<page>` holds a heartbeat time while the page lives, `<page>:<id>` one event each,
  // so recording an event writes one small item however long the queue is.
  const page = `beckon:queue:${random().toString(36).slice(2)}${now().toString(36)}`;
  const counts = options.counts ?? newStats();
  // Waiting events by id, oldest first.
  const entries = new Map<string, string>();
  // Ids of the events in requests not answered yet.
  const sending = new Set<string>();
  // Per waiting event: when it was recorded, and how many of its requests failed.
  const tries = new Map<string, [number, number]>();
  let online = lifecycle?.online() ?? true;
  let closed = false;
  // An unloading (or closed) page, or one frozen in the back/forward cache, leaves its events free for the next page to take.
  let leaving = false;
  let lastBeat = -Infinity;
  // Failed requests since the last answer; while above 0 a retry is pending or under way, and new events wait for it.
  let attempt = 0;
  // The next flush: after flushInterval, or the retry's backoff.
  let flushTimer: unknown;
  let adoptTimer: unknown;
  let draining = false;
  let drained = Promise.resolve();

  /** Tells other pages this one is alive and will send its own events (written at most every staleAfter / 4). */
  const beat = () => {
    const time = now();
    if (leaving || (time >= lastBeat && time - lastBeat < staleAfter / 4)) return;
    store.set(page, String(time));
    lastBeat = time;
  };
  const release = () => {
    store.remove(page);
    lastBeat = -Infinity;
  };

  const remove = (id: string) => {
    entries.delete(id);
    tries.delete(id);
    counts.queued = entries.size;
    store.remove(`${page}:${id}`);
  };

  const add = (id: string, json: string, at = now()) => {
    beat();
    counts.queued = entries.set(id, json).size;
    if (!tries.has(id)) tries.set(id, [at, 0]);
    store.set(`${page}:${id}`, json);
    // Beyond the bound the oldest go, except those in flight (their answer is still to be counted).
    for (const old of entries.keys()) {
      if (entries.size <= maxQueueLength) break;
      if (!sending.has(old)) {
        remove(old);
        counts.dropped.overflow++;
      }
    }
  };

  /** Takes over events that closed pages left behind (and those of pages whose heartbeat stopped long ago). */
  const adopt = () => {
    let next = Infinity;
    for (const key of store.keys()) {
      const [, owner, id] = queueKey.exec(key) ?? [];
      if (!owner || owner === page) continue;
      // No heartbeat: the page has gone. A negative age: the clock went back, so wait longer, never shorter.
      // (Read per key: another page holds few unsent events, and an owner's are removed once taken.)
      const age = now() - (Number(store.get(owner)) || -Infinity);
      if (age < staleAfter) {
        next = Math.min(next, staleAfter - age);
        continue;
      }
      if (id) {
        // Unreadable JSON is undefined: counted as invalid.
        const event: unknown = safely(() => JSON.parse(store.get(key)!));
        // The same event left by two pages is one entry: entries are kept by id.
        if (isEvent(event)) add(event.messageId, JSON.stringify(event), Date.parse(event.timestamp) || now());
        else counts.dropped.invalid++;
      }
      // Our copy is written before theirs is removed: a crash in between duplicates, never loses.
      store.remove(key);
    }
    // No timer is pending here: adopt runs at creation, and in a drain, which flush starts after clearing them.
    if (next < Infinity) adoptTimer = flushIn(next);
  };

  /** Schedules a flush in `ms` milliseconds. */
  const flushIn = (ms: number) => timers.setTimeout(flush, ms);

  /** Takes the oldest waiting events that fit in one request of at most `maxBytes`: they are in flight until answered. */
  const take = (maxBytes: number): string[] => {
    const batch: string[] = [];
    // `{"batch":[],"sentAt":"…"}` and a comma per event; an event's bytes are counted only when a request is made.
    let bytes = 48;
    for (const [id, json] of entries) {
      if (sending.has(id)) continue;
      bytes += utf8Length(json) + 1;
      if (batch.length === MAX_BATCH_LENGTH || (batch.length > 0 && bytes > maxBytes)) break;
      sending.add(id);
      batch.push(id);
    }
    return batch;
  };

  const clearTimers = () => {
    timers.clearTimeout(flushTimer);
    timers.clearTimeout(adoptTimer);
    flushTimer = adoptTimer = undefined;
  };

  /** Sends one batch that `take` gave; true when it is settled (sent or refused), false when a retry was scheduled. */
  const deliver = async (batch: string[], keepalive: boolean): Promise<boolean> => {
    let result: SendResult | void = undefined;
    let timer: unknown;
    try {
      // No answer within `timeout` resolves to nothing, and is retried like a failure.
      result = await new Promise<SendResult | void>((resolve, reject) => {
        timer = timers.setTimeout(resolve, timeout);
        // sentAt lets the collector correct the times of a device whose clock is wrong.
        const sentAt = new Date(now()).toISOString();
        send(`{"batch":[${batch.map((id) => entries.get(id)).join(',')}],"sentAt":"${sentAt}"}`, { keepalive }).then(resolve, reject);
      });
    } catch {
      // A network failure: retried below.
    }
    timers.clearTimeout(timer);
    for (const id of batch) sending.delete(id);
    const status = result?.status ?? 0;
    const accepted = status >= 200 && status < 300;
    // A 4xx says the request itself is wrong, so repeating it cannot help; 408 and 429 say "later".
    if (accepted || (status >= 400 && status < 500 && status !== 408 && status !== 429)) {
      batch.forEach(remove);
      if (!entries.size) release();
      // The collector answered: the next failure starts the backoff again, and new events need not wait.
      attempt = 0;
      if (accepted) {
        // Events the collector refused one by one are as wrong as a refused batch: never sent again.
        const refused = result!.refused?.length ?? 0;
        counts.sent += batch.length - refused;
        counts.dropped.rejected += refused;
        if (refused) warnOnce('refused', `${refused} event(s) refused: ${result!.refused![0]!.reason}`);
      } else {
        counts.dropped.rejected += batch.length;
        warnOnce(status, `HTTP ${status}: ${batch.length} event(s) dropped`);
      }
      return true;
    }
    counts.retries++;
    attempt++;
    // An event whose requests keep failing is given up, so it cannot hold the queue for ever.
    let expired = 0;
    for (const id of batch) {
      const tried = tries.get(id);
      if (!tried || (++tried[1] < maxAttempts && now() - tried[0] <= maxAge)) continue;
      remove(id);
      expired++;
    }
    counts.dropped.expired += expired;
    if (expired) warnOnce('expired', `${expired} event(s) given up`);
    const wait = Math.max(backoff({ attempt, ...retry, random: random() }), parseRetryAfter(result?.retryAfter, now()) ?? 0);
    timers.clearTimeout(flushTimer);
    flushTimer = !closed && online ? flushIn(wait) : undefined;
    beat();
    return false;
  };

  /** Sends batch after batch until nothing waits or a request fails. */
  const drain = async () => {
    draining = true;
    try {
      adopt();
      while (!closed && online) {
        const batch = take(MAX_BATCH_BYTES);
        if (!batch.length || !(await deliver(batch, false))) return;
      }
    } finally {
      // Cleared synchronously as the drain ends, so a flush right after it always starts a new one.
      draining = false;
    }
  };

  const flush = (): Promise<void> => {
    // Whatever flush was pending is this one (a timer that fired must not look pending later).
    timers.clearTimeout(flushTimer);
    flushTimer = undefined;
    // A drain under way sends what waits next; otherwise the pending retry or takeover is now too.
    if (!draining) {
      clearTimers();
      drained = drain();
    }
    return drained;
  };

  /** The page is going away or out of sight: send what waits in requests that outlive the page. */
  const hide = (closing: boolean) => {
    if (closing) {
      leaving = true;
      release();
    }
    if (closed || !online) return;
    for (let batch; (batch = take(MAX_UNLOAD_BYTES)).length; ) void deliver(batch, true);
  };

  const unwatch = lifecycle?.watch({
    hide,
    show() {
      leaving = false;
      if (entries.size) beat();
      void flush();
    },
    offline() {
      online = false;
      clearTimers();
    },
    online() {
      online = true;
      attempt = 0;
      void flush();
    },
  });

  adopt();
  // What earlier pages left is sent at once (or, offline, when back online).
  if (entries.size) flushTimer = flushIn(0);

  return {
    push(id, json) {
      add(id, json);
      if (closed || !online || attempt > 0) return;
      // Events in flight count too: while a drain is under way flush() only joins it, and it sends the rest next.
      if (entries.size >= flushAt) void flush();
      else flushTimer ??= flushIn(flushInterval);
    },
    // Closed, it starts nothing: the last drain is all there is to wait for.
    flush: () => (closed ? drained : flush()),
    // A snapshot that later changes do not touch.
    stats: () => structuredClone(counts),
    close() {
      closed = leaving = true;
      clearTimers();
      unwatch?.();
      release();
    },
  };
}
