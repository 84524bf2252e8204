// Inline messages whose slot is not on the page yet wait for it; the DOM is watched only while one waits.
import { findInlineHost } from '@beckon/elements';
import type { Layout } from '@beckon/rules/runtime';

/** Finds inline hosts that appear after the message was decided. */
export interface SlotWatcher {
  /** Calls `found` with the host of `layout` once it is in the page (at once if it is); aborting `signal` stops waiting. */
  wait(layout: Layout, signal: AbortSignal, found: (host: Element) => void): void;
  /** Stops every wait. */
  stop(): void;
}

/** A watcher with one MutationObserver, connected only while a message waits for its slot. */
export function createSlotWatcher(): SlotWatcher {
  const waiting = new Set<{ layout: Layout; found: (host: Element) => void }>();
  let observer: MutationObserver | undefined;
  const settle = () => {
    for (const waiter of waiting) {
      const host = findInlineHost(waiter.layout);
      if (!host) continue;
      waiting.delete(waiter);
      waiter.found(host);
    }
    if (waiting.size === 0) observer = void observer?.disconnect();
  };
  return {
    wait(layout, signal, found) {
      const host = findInlineHost(layout);
      if (host) return found(host);
      const waiter = { layout, found };
      waiting.add(waiter);
      signal.addEventListener('abort', () => (waiting.delete(waiter), settle()), { once: true });
      if (!observer) {
        observer = new MutationObserver(settle);
        observer.observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['name'] });
      }
    },
    stop() {
      waiting.clear();
      settle();
    },
  };
}
