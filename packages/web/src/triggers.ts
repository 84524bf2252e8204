// Waiting in the page: for a message's trigger (a delay and a scroll depth, both must be reached, then exit
// intent), and for the tab to be visible.
import type { PendingTrigger } from '@beckon/rules/runtime';

/**
 * Calls `fire` once the trigger's conditions hold: `delay` ms have passed and the visitor has scrolled
 * `scrollPercent` down the page (in either order), then the pointer leaves through the top of the window when
 * `exitIntent` is set. Aborting `signal` (a navigation) cancels the wait.
 */
export function whenTriggered(trigger: PendingTrigger, signal: AbortSignal, fire: () => void): void {
  const { delay, scrollPercent, exitIntent } = trigger;
  // Leaving the document (no element to go to) above its top edge: towards the tabs, the address bar, close.
  const last = () => (exitIntent ? listenUntil(document, 'mouseout', signal, (event: MouseEvent) => !event.relatedTarget && event.clientY <= 0 && (fire(), true)) : fire());
  let waiting = (delay ? 1 : 0) + (scrollPercent ? 1 : 0);
  const reached = () => --waiting === 0 && !signal.aborted && last();
  if (waiting === 0) return last();
  if (delay) {
    const timer = setTimeout(reached, delay);
    // A signal aborts once: its listeners need no `once`.
    signal.addEventListener('abort', () => clearTimeout(timer));
  }
  if (scrollPercent) {
    const scrolled = () => scrollDepth() >= scrollPercent && (reached(), true);
    if (!scrolled()) listenUntil(window, 'scroll', signal, scrolled);
  }
}

/**
 * Runs `then` once the page has its `<body>`: at once, unless the script runs in `<head>` before the parser got
 * there; then at DOMContentLoaded (unless `signal` aborts first).
 */
export function whenBodyExists(signal: AbortSignal, then: () => void): void {
  if (document.body) return then();
  listenUntil(document, 'DOMContentLoaded', signal, () => (then(), true));
}

/** Runs `then` now if the page is visible, else once it becomes visible (unless `signal` aborts first). */
export function whenVisible(signal: AbortSignal, then: () => void): void {
  if (document.visibilityState !== 'hidden') return then();
  listenUntil(document, 'visibilitychange', signal, () => document.visibilityState !== 'hidden' && (then(), true));
}

/**
 * Listens for `type` on `target` until `done` returns true for an event, or `signal` aborts. (No `passive`
 * flag: `done` never cancels an event, and scroll, mouseout and visibilitychange do not hold up scrolling.)
 */
function listenUntil<E extends Event>(target: EventTarget, type: string, signal: AbortSignal, done: (event: E) => boolean): void {
  const listener = (event: Event) => done(event as E) && target.removeEventListener(type, listener);
  target.addEventListener(type, listener, { signal });
}

/**
 * How far down the page the bottom of the viewport is, in percent of the page's height: 100 at the bottom, and at
 * least 100 for a page that fits the viewport (it is seen whole).
 */
export function scrollDepth(): number {
  return ((scrollY + innerHeight) / document.documentElement.scrollHeight) * 100;
}
