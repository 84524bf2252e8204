// `createTracker`: identity, Segment-spec events and their fan-out to destinations.
import { forgetStores, type Consent } from './consent.js';
import { httpDestination, type Destination } from './destinations.js';
import { isBag, utf8Length } from './event.js';
import { ANONYMOUS_KEY, USER_KEY, isId, loadIdentity, saveIdentity, type Identity } from './identity.js';
import { MAX_EVENT_BYTES, MAX_NAME_LENGTH } from './limits.js';
import { browserContext, browserLifecycle, randomId as defaultRandomId, watchStorage, type PageLifecycle, type Timers } from './platform.js';
import { newStats, type DeliveryStats, type RetryOptions } from './queue.js';
import { paramFilter, scrubFields } from './scrub.js';
import { safeStore, storesFor, type KeyValueStore, type SafeStore, type StorageMode } from './storage.js';
import type { BeckonEvent, EventContext } from './types.js';
import { VERSION } from './version.js';
import { onceEach } from './warn.js';

/** Options of `createTracker`. Everything is optional; the platform parts exist so tests and other runtimes can supply their own. */
export interface TrackerOptions {
  /** The Beckon collector (base URL or full `/v1/batch` URL); events are sent there when given. */
  endpoint?: string;
  /** Identifies the site to the collector. */
  writeKey?: string;
  /** Where the anonymous id and the unsent queue live ('cookie+local'). 'session' and 'memory' set no cookie. */
  storage?: StorageMode;
  /**
   * May the tracker store and send ('granted', the default)? 'pending': no store is read or written and nothing is
   * sent; events wait in memory (at most `maxQueueLength`). 'denied': Beckon's keys are removed from the stores and
   * events are dropped. See `Tracker.consent`.
   */
  consent?: Consent;
  /** More query parameters removed from every URL an event carries, besides `PRIVATE_PARAMS` (exact names). */
  privateParams?: string[];
  /** Keep the other query parameters in the URLs events carry (default true); false removes them all. */
  keepParams?: boolean;
  /** Cookie `Domain`, e.g. `example.com` so all its subdomains share one anonymous id. */
  cookieDomain?: string;
  /** More destinations that receive every event. */
  destinations?: Destination[];
  /** Send as soon as this many events wait (20). */
  flushAt?: number;
  /** Send at most this long after an event, in ms (5000). */
  flushInterval?: number;
  /** Most unsent events kept; the oldest are dropped beyond it (1000). */
  maxQueueLength?: number;
  /** A request without an answer after this many ms is retried (10000). */
  timeout?: number;
  /** Backoff between retries: `{ minTimeout: 1000, maxTimeout: 60000, factor: 2 }`. */
  retry?: RetryOptions;
  /** `context.library` of every event (this package by default; the web SDK names itself). */
  library?: EventContext['library'];
  /** Stores to use instead of those `storage` names: ids in all (first wins), the queue in the last. */
  stores?: KeyValueStore[];
  /** The clock, in epoch ms (`Date.now`). */
  now?: () => number;
  /** New anonymous ids and event ids (random UUIDs). */
  randomId?: () => string;
  /** Random numbers in [0, 1) for retry jitter (`Math.random`). */
  random?: () => number;
  /** `setTimeout`/`clearTimeout` (the global ones). */
  timers?: Timers;
  /** `fetch` for delivery (the global one). */
  fetch?: typeof fetch;
  /** `navigator.sendBeacon`, used while unloading where a keepalive fetch fails. */
  sendBeacon?: (url: string, data: string) => boolean;
  /** Page hide/show and online/offline (the current window's). */
  lifecycle?: PageLifecycle;
  /** Page facts for `context` (url, path, referrer, title, locale) — read from the browser by default; a fresh object per call. */
  context?: () => Omit<EventContext, 'library'>;
  /** Where warnings go (`console.warn`). */
  warn?: (message: string) => void;
}

/** What changed when a visitor was identified. */
export interface IdentifyChange {
  /** The new user id. */
  userId: string;
  /** The anonymous id now in use (a new one when a different user took over the device). */
  anonymousId: string;
  /** The user id before, if there was one. */
  previousUserId: string | undefined;
  /** The anonymous id before. */
  previousAnonymousId: string;
}

/** Counters of everything the tracker and its collector delivery did (destinations passed in `destinations` keep their own). */
export interface TrackerStats extends DeliveryStats {
  /** Events accepted and handed to destinations. */
  accepted: number;
  /** Errors thrown by destinations. */
  destinationErrors: number;
}

/** A running tracker; see `createTracker`. */
export interface Tracker {
  /** The visitor's anonymous id. */
  readonly anonymousId: string;
  /** The user id once identified. */
  readonly userId: string | undefined;
  /** Records a page view (page facts come from `context`). Returns the event, or undefined when refused. */
  page(name?: string, properties?: Record<string, unknown>): BeckonEvent | undefined;
  /** Records a screen view of an app screen. */
  screen(name: string, properties?: Record<string, unknown>): BeckonEvent | undefined;
  /** Records something the visitor did, e.g. `track('Message Shown', { message_id, layout })`. */
  track(event: string, properties?: Record<string, unknown>): BeckonEvent | undefined;
  /** Links the visitor to a user id; a different user than the current one starts a new anonymous id. */
  identify(userId: string, traits?: Record<string, unknown>): BeckonEvent | undefined;
  /** Forgets the visitor: a new anonymous id and no user id. */
  reset(): void;
  /**
   * Consent now, or changed to `state` (returned). Granted (from pending): the id moves to the stores (one already
   * there wins, and the waiting events take it), destinations start, and the waiting events go out in order, once.
   * Denied: waiting events are dropped, destinations closed, Beckon's keys removed from the stores; the tracker goes
   * on in memory, sending nothing. A value that is not a state is warned about and taken as 'pending'.
   */
  consent(state?: Consent): Consent;
  /** Calls `callback` whenever the user id changes to a new one (here or in another tab); returns an unsubscribe function. */
  onIdentify(callback: (change: IdentifyChange) => void): () => void;
  /** Sends everything waiting now. */
  flush(): Promise<void>;
  stats(): TrackerStats;
  /** Stops timers and listeners; unsent events stay stored for the next page. */
  close(): void;
}

type EventFields =
  | { type: 'page'; name?: string; properties: Record<string, unknown> }
  | { type: 'screen'; name: string; properties: Record<string, unknown> }
  | { type: 'track'; event: string; properties: Record<string, unknown> }
  | { type: 'identify'; userId: string; traits: Record<string, unknown> };

/** Creates a tracker: assigns or restores the anonymous id and starts delivery to the destinations. */
export function createTracker(options: TrackerOptions = {}): Tracker {
  const {
    now = Date.now,
    randomId = defaultRandomId,
    context = browserContext,
    library = { name: '@beckon/tracking', version: VERSION },
  } = options;
  const counts: TrackerStats = { accepted: 0, destinationErrors: 0, ...newStats() };
  const raw = options.stores ?? storesFor(options.storage ?? 'cookie+local', { domain: options.cookieDomain });
  // Until consent is granted: no store (the identity lives in memory), no destination, events wait in `waiting`.
  let consent: Consent = 'pending';
  let stores: SafeStore[] = [];
  let destinations: Destination[] = [];
  let waiting: BeckonEvent[] = [];
  // The collector first (when there is one), then the destinations given.
  const connect = (): Destination[] => [
    ...(options.endpoint === undefined
      ? []
      : [httpDestination({ ...options, url: options.endpoint, store: raw.at(-1), lifecycle: options.lifecycle ?? browserLifecycle(), counts })]),
    ...(options.destinations ?? []),
  ];
  const listeners = new Set<(change: IdentifyChange) => void>();
  let identity: Identity = { anonymousId: randomId() };
  let closed = false;
  const keep = paramFilter(options.privateParams, options.keepParams);

  const warnOnce = onceEach(options.warn ?? console.warn);

  const refuse = (what: string, problem: string): undefined => {
    counts.dropped.invalid++;
    warnOnce(`${what}() dropped an event: ${problem}`);
    return undefined;
  };

  /** Runs one of a destination's methods: what it throws or rejects with is counted and warned about, never passed on. */
  const call = async (destination: Destination, method: () => unknown) => {
    try {
      await method();
    } catch (error) {
      counts.destinationErrors++;
      warnOnce(destination.name, `destination "${destination.name}" failed: ${String(error)}`);
    }
  };

  const notify = (previous: Identity) => {
    if (!identity.userId || identity.userId === previous.userId) return;
    // The identity's userId is set (checked above), so it is a whole IdentifyChange with the previous pair.
    const change = { ...identity, previousUserId: previous.userId, previousAnonymousId: previous.anonymousId } as IdentifyChange;
    for (const listener of listeners) {
      try {
        listener(change);
      } catch (error) {
        warnOnce(`onIdentify callback failed: ${String(error)}`);
      }
    }
  };

  /** Another tab may have identified or reset since; page views pick that up. */
  const refresh = () => {
    const previous = identity;
    identity = loadIdentity(stores, randomId, identity);
    notify(previous);
  };

  // Another tab wrote the visitor's id (two first visits at once, a reset, an identify): follow it now,
  // not only at the next page view, so this tab's next events already carry it. Only a denial removes the
  // anonymous id: when another tab's does, this one is denied too, rather than writing it back.
  const stopWatching = watchStorage([ANONYMOUS_KEY, USER_KEY], ({ key, newValue }) =>
    key === ANONYMOUS_KEY && newValue === null ? setConsent('denied') : refresh(),
  );

  const deliver = (event: BeckonEvent, json: string) => {
    // A destination's track runs now (an async function runs until its first await); only its failure is handled later.
    for (const destination of destinations) void call(destination, () => destination.track(event, json));
  };

  /**
   * Completes, checks and hands one event to every destination; `who` is whom it is about. The call made `event`
   * with only its own fields (EventFields), and `context()` is fresh too: both are completed in place, sparing copies.
   */
  const emit = (event: BeckonEvent, who: Identity): BeckonEvent | undefined => {
    if (closed) return undefined;
    event.messageId = randomId();
    event.anonymousId = who.anonymousId;
    if (who.userId) event.userId = who.userId;
    event.timestamp = new Date(now()).toISOString();
    event.context = context() as EventContext;
    event.context.library = library;
    // URLs leave without the parameters that may carry personal data (the caller's properties are not changed).
    const { page } = event.context;
    if (page) event.context.page = scrubFields(page, keep);
    if (event.properties) event.properties = scrubFields(event.properties, keep);
    let json: string;
    try {
      json = JSON.stringify(event);
    } catch (error) {
      return refuse(event.type, `properties are not JSON (${String(error)})`);
    }
    // Characters are at most 3 bytes each, so most events need no byte count here (the queue counts them when sending);
    // a refused one is counted again for its warning.
    if (json.length * 3 > MAX_EVENT_BYTES && utf8Length(json) > MAX_EVENT_BYTES) {
      counts.dropped.tooLarge++;
      warnOnce(`${event.type}() dropped an event of ${utf8Length(json)} bytes (limit ${MAX_EVENT_BYTES})`);
      return undefined;
    }
    counts.accepted++;
    // Pending: the event waits (the oldest go beyond the bound). Denied: there is no destination.
    if (consent !== 'pending') deliver(event, json);
    else if (waiting.push(event) > (options.maxQueueLength ?? 1000)) {
      waiting.shift();
      counts.dropped.overflow++;
    }
    return event;
  };

  const setConsent = (state: Consent) => {
    if (!['granted', 'pending', 'denied'].includes(state)) {
      warnOnce(`consent must be granted, pending or denied, not ${JSON.stringify(state)}: pending`);
      state = 'pending';
    }
    if (state === consent) return;
    consent = state;
    for (const destination of destinations) destination.close?.();
    destinations = [];
    stores = [];
    if (state === 'denied') {
      waiting = [];
      forgetStores(raw);
    }
    if (state !== 'granted') return;
    stores = raw.map(safeStore);
    const before = identity;
    // An id already stored is this visitor's and wins, unless they signed in while consent was pending.
    if (before.userId) saveIdentity(stores, before);
    else identity = loadIdentity(stores, randomId, before);
    destinations = connect();
    for (const event of waiting.splice(0)) {
      if (event.anonymousId === before.anonymousId) event.anonymousId = identity.anonymousId;
      deliver(event, JSON.stringify(event));
    }
    notify(before);
  };

  /** The properties of a call whose name is valid and whose properties are a plain object; undefined (and a warning) otherwise. */
  const check = (call: string, field: string, name: unknown, properties: unknown): Record<string, unknown> | undefined =>
    !isId(name)
      ? refuse(call, `${field} must be a string of 1 to ${MAX_NAME_LENGTH} characters`)
      : properties === undefined || isBag(properties)
        ? (properties ?? {})
        : refuse(call, 'properties must be a plain object');

  /** A page or screen view; identity is read again first, since another tab may have identified or reset. */
  const view = (type: 'page' | 'screen', name: string | undefined, checked: unknown, properties: unknown) => {
    const props = check(type, 'name', checked, properties);
    if (!props) return undefined;
    refresh();
    return emit({ type, name, properties: props } as EventFields as BeckonEvent, identity);
  };

  const tracker: Tracker = {
    get anonymousId() {
      return identity.anonymousId;
    },
    get userId() {
      return identity.userId;
    },
    // A page needs no name: an id-like stand-in is checked instead.
    page: (name, properties) => view('page', name, name === undefined ? 'page' : name, properties),
    screen: (name, properties) => view('screen', name, name, properties),
    track(event, properties) {
      const props = check('track', 'event', event, properties);
      return props && emit({ type: 'track', event, properties: props } satisfies EventFields as BeckonEvent, identity);
    },
    identify(userId, traits) {
      const props = check('identify', 'userId', userId, traits);
      if (!props) return undefined;
      const previous = identity;
      // Someone else on this device: their history must not join this user's.
      const next = { anonymousId: previous.userId && previous.userId !== userId ? randomId() : previous.anonymousId, userId };
      const event = emit({ type: 'identify', userId, traits: props } satisfies EventFields as BeckonEvent, next);
      if (!event) return undefined;
      identity = next;
      saveIdentity(stores, identity);
      notify(previous);
      return event;
    },
    reset() {
      identity = { anonymousId: randomId() };
      saveIdentity(stores, identity);
    },
    consent(state) {
      if (state !== undefined) setConsent(state);
      return consent;
    },
    onIdentify(callback) {
      listeners.add(callback);
      return () => void listeners.delete(callback);
    },
    async flush() {
      await Promise.all(destinations.map((destination) => call(destination, () => destination.flush?.())));
    },
    stats: () => structuredClone(counts),
    close() {
      closed = true;
      stopWatching();
      for (const destination of destinations) destination.close?.();
    },
  };
  setConsent(options.consent ?? 'granted');
  return tracker;
}
