// Waiting for a message's trigger: a delay and a scroll depth (both must be reached), then exit intent.
import type { PendingTrigger } from '@beckon/rules/runtime';

/**
 * Calls `fire` once the trigger's conditions hold: `delay` ms have passed and the visitor has scrolled
 * `scrollPercent` down the page (in either order), then the pointer leaves through the top of the window when
 * `exitIntent` is set. Aborting `signal` (a navigation) cancels the wait.
 */
export function whenTriggered(trigger: PendingTrigger, signal: AbortSignal, fire: () => void): void {
  const { delay, scrollPercent, exitIntent } = trigger;
  const listen = { passive: true, signal } as const;
  const last = () => {
    if (!exitIntent) return fire();
    document.addEventListener(
      'mouseout',
      (event) => {
        // Leaving the document (no element to go to) above its top edge: towards the tabs, the address bar, close.
        if (!event.relatedTarget && event.clientY <= 0 && !signal.aborted) {
          stop.abort();
          fire();
        }
      },
      { ...listen, signal: stop.signal },
    );
  };
  const stop = new AbortController();
  signal.addEventListener('abort', () => stop.abort(), { once: true });
  let waiting = (delay ? 1 : 0) + (scrollPercent ? 1 : 0);
  const reached = () => --waiting === 0 && !signal.aborted && last();
  if (waiting === 0) return last();
  if (delay) {
    const timer = setTimeout(reached, delay);
    signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  }
  if (scrollPercent) {
    const scrolled = new AbortController();
    const check = () => {
      if (scrollDepth() < scrollPercent) return;
      scrolled.abort();
      reached();
    };
    signal.addEventListener('abort', () => scrolled.abort(), { once: true });
    window.addEventListener('scroll', check, { ...listen, signal: scrolled.signal });
    check();
  }
}

/** How far down the page the bottom of the viewport is, 0–100; a page that fits the viewport is seen whole (100). */
export function scrollDepth(): number {
  const height = document.documentElement.scrollHeight;
  return height <= innerHeight ? 100 : Math.min(100, ((scrollY + innerHeight) / height) * 100);
}
