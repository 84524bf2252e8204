// Inline messages whose slot is not on the page yet wait for it; the DOM is watched only while one waits.
import { findInlineHost } from '@beckon/elements';
import type { Layout } from '@beckon/rules/runtime';

/**
 * Calls `found` with the host of `layout` once it is in the page (at once if it is). Until then a MutationObserver
 * watches the page; it stops when the host appears or `signal` aborts (a navigation, `destroy`).
 */
export function whenHostAppears(layout: Layout, signal: AbortSignal, found: (host: Element) => void): void {
  const host = findInlineHost(layout);
  if (host) return found(host);
  const observer = new MutationObserver(() => {
    const host = findInlineHost(layout);
    if (!host) return;
    observer.disconnect();
    found(host);
  });
  observer.observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['name'] });
  signal.addEventListener('abort', () => observer.disconnect());
}
