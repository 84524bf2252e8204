// Inline messages whose slot is not on the page yet wait for it; the DOM is watched only while one waits.
import { findInlineHost } from '@beckon/elements';
import type { Layout } from '@beckon/rules/runtime';

/**
 * Calls `found` with the host of `layout` once it is in the page (at once if it is). Until then a MutationObserver
 * watches the page; it stops when the host appears or `signal` aborts (a navigation, `destroy`).
 */
export function whenHostAppears(layout: Layout, signal: AbortSignal, found: (host: Element) => void): void {
  /** Hands over the host if it is there now, and returns it (the first time, the observer is not watching yet). */
  const look = () => {
    const host = findInlineHost(layout);
    if (host) {
      observer.disconnect();
      found(host);
    }
    return host;
  };
  const observer = new MutationObserver(look);
  if (look()) return;
  // A slot added, or one renamed (attributeFilter implies attributes: true).
  observer.observe(document.documentElement, { childList: true, subtree: true, attributeFilter: ['name'] });
  signal.addEventListener('abort', () => observer.disconnect());
}
