// Where an inline message goes on the page.
import type { Layout } from './types.js';

/**
 * The element an inline message should be put in: the `<beckon-slot>` named by `layout.slot`, else
 * the first element matching `layout.selector`, else null (also for an invalid selector, and for
 * layouts that are not inline). Append the `<beckon-message>` to it.
 */
export function findInlineHost(layout: Layout, root: ParentNode = document): Element | null {
  if (layout.type !== 'inline') return null;
  if (typeof layout.slot === 'string' && layout.slot) {
    const named = [...root.querySelectorAll('beckon-slot')].find((slot) => slot.getAttribute('name') === layout.slot);
    if (named) return named;
  }
  if (typeof layout.selector === 'string' && layout.selector) {
    try {
      return root.querySelector(layout.selector);
    } catch {
      return null;
    }
  }
  return null;
}
