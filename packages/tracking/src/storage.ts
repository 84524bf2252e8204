// Key-value storage adapters. Browser areas are looked up on every call, so importing touches nothing
// and a missing or throwing area (SSR, Safari private mode, blocked cookies) is just an unusable store.

/** A synchronous string store. Methods may throw; the tracker wraps every store with `safeStore`. */
export interface KeyValueStore {
  get(key: string): string | null | undefined;
  set(key: string, value: string): void;
  remove(key: string): void;
  /** Every key held; needed only by the delivery queue to find queues left by closed pages. */
  keys?(): string[];
}

/** Where the tracker keeps the anonymous id and the unsent queue. */
export type StorageMode = 'cookie+local' | 'local' | 'session' | 'memory';

/** A store that forgets everything when the page goes away. */
export function memoryStore(): KeyValueStore {
  const map = new Map<string, string>();
  return {
    get: (key) => map.get(key),
    set: (key, value) => void map.set(key, value),
    remove: (key) => void map.delete(key),
    keys: () => [...map.keys()],
  };
}

/** `localStorage` or `sessionStorage`, read when used (throws where it is absent or blocked). */
export function webStore(area: 'localStorage' | 'sessionStorage'): KeyValueStore {
  const storage = (): Storage => (globalThis as unknown as Record<string, Storage>)[area]!;
  return {
    get: (key) => storage().getItem(key),
    set: (key, value) => storage().setItem(key, value),
    remove: (key) => storage().removeItem(key),
    keys: () => Object.keys(storage()),
  };
}

/** Options of `cookieStore`. */
export interface CookieOptions {
  /** `Domain` attribute, e.g. `example.com` so `shop.example.com` and `www.example.com` share the id. */
  domain?: string;
  /** Lifetime in days (365). */
  days?: number;
}

/** First-party cookies on `document.cookie` (`SameSite=Lax`, `Secure` on https). A missing cookie reads as ''. */
export function cookieStore({ domain, days = 365 }: CookieOptions = {}): KeyValueStore {
  // A cookie is removed by writing it with no lifetime left.
  const set = (key: string, value: string, maxAge = Math.round(days * 86400)) => {
    document.cookie = `${key}=${encodeURIComponent(value)}; Max-Age=${maxAge}; Path=/; SameSite=Lax${domain ? `; Domain=${domain}` : ''}${location.protocol === 'https:' ? '; Secure' : ''}`;
  };
  return {
    get: (key) => decodeURIComponent(`; ${document.cookie}`.split(`; ${key}=`)[1]?.split(';')[0] ?? ''),
    set,
    remove: (key) => set(key, '', 0),
  };
}

/** A store that never throws: failed reads are `undefined`, failed writes are skipped. */
export interface SafeStore {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  remove(key: string): void;
  keys(): string[];
}

/** `fn()`, or undefined when it throws: the one place storage (and stored garbage) failures stop. */
export function safely<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/** Wraps a store (none: a store that holds nothing) so no storage failure ever reaches the caller. */
export function safeStore(store?: KeyValueStore): SafeStore {
  return {
    // Absent, null and '' (how a missing cookie reads) all mean "nothing stored".
    get: (key) => safely(() => store?.get(key)) || undefined,
    set: (key, value) => safely(() => store?.set(key, value)),
    remove: (key) => safely(() => store?.remove(key)),
    keys: () => safely(() => store?.keys?.()) ?? [],
  };
}

/** The stores a mode uses, most authoritative first: ids live in all of them, the queue in the last (none: memory). */
export function storesFor(mode: StorageMode, cookie: CookieOptions = {}): KeyValueStore[] {
  if (mode === 'cookie+local') return [cookieStore(cookie), webStore('localStorage')];
  if (mode === 'local') return [webStore('localStorage')];
  if (mode === 'session') return [webStore('sessionStorage')];
  // Memory needs no store: the identity and the queue live in the tracker's variables anyway.
  if (mode === 'memory') return [];
  throw new TypeError(`beckon: storage must be cookie+local, local, session or memory, not ${JSON.stringify(mode)}`);
}
