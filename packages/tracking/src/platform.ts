// The browser behind small adapters: each looks the API up when called and does nothing where it is
// absent (Node, SSR, old browsers), so the tracker runs anywhere and tests can pass their own.
import type { EventContext } from './types.js';

/** A random UUID v4 from `crypto.randomUUID`; where that is missing (pages not served over https), 128 random bits as four numbers (`1234-56789-...`). */
export function randomId(): string {
  return crypto.randomUUID?.() ?? crypto.getRandomValues(new Uint32Array(4)).join('-');
}

/** Where the event happened, from `location`, `document` and `navigator` (without `library`); no user agent, which the collector sees anyway. */
export function browserContext(): Omit<EventContext, 'library'> {
  const { location, document, navigator } = globalThis;
  return {
    page: location && document ? { url: location.href, path: location.pathname, referrer: document.referrer, title: document.title } : undefined,
    locale: navigator?.language,
  };
}

/** Timer functions, injectable so tests control time. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}


/** What the delivery queue needs to know about the page it runs in. */
export interface PageLifecycle {
  /** Whether the network is believed to be up (`navigator.onLine`; true where unknown). */
  online(): boolean;
  /**
   * Calls the handlers when the page is hidden (`closing` when it is being unloaded or frozen), shown
   * again, or the network goes or comes back; returns a function that stops listening.
   */
  watch(handlers: { hide(closing: boolean): void; show(): void; offline(): void; online(): void }): () => void;
}

/** Listens to `type` on `target` (where there is one that can be listened to); returns a function that stops. */
function on<E extends Event>(target: Partial<EventTarget> | undefined, type: string, listener: (event: E) => void): () => void {
  target?.addEventListener?.(type, listener as EventListener);
  return () => target?.removeEventListener?.(type, listener as EventListener);
}

/** `pagehide`/`visibilitychange` and `online`/`offline` on the current window; inert without one. */
export function browserLifecycle(): PageLifecycle {
  return {
    online: () => globalThis.navigator?.onLine !== false,
    watch(handlers) {
      // Without a window or document (a worker, Node, server rendering) nothing is listened to.
      const { window, document } = globalThis;
      const stops = [
        // A page restored from the back/forward cache turns visible again, so visibilitychange also covers pageshow.
        on(window, 'pagehide', () => handlers.hide(true)),
        on(document, 'visibilitychange', () => (document.visibilityState === 'hidden' ? handlers.hide(false) : handlers.show())),
        on(window, 'offline', handlers.offline),
        on(window, 'online', handlers.online),
      ];
      return () => stops.forEach((stop) => stop());
    },
  };
}

/** What a `storage` event says, in terms that need no DOM types (the package's types must not). */
export interface StorageChange {
  /** The key written or removed; null when the whole area was cleared. */
  key: string | null;
  /** Its new value; null when it was removed. */
  newValue: string | null;
}

/**
 * Calls `changed` with the event when another tab (or frame) of this origin writes or removes one of `keys` in
 * `localStorage`, or clears it; returns a function that stops listening. Inert where there is no window (Node, workers).
 */
export function watchStorage(keys: readonly string[], changed: (change: StorageChange) => void): () => void {
  return on<StorageEvent>(globalThis, 'storage', (event) => (event.key === null || keys.includes(event.key)) && changed(event));
}
