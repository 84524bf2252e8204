// What of an event's `context` is stored. Never an IP address; the rest (page, user agent, locale,
// campaign, ...) only when the operator turns it on (--store-context): metrics and decide read none of
// it, and an event without it still says what happened and when.
import type { CollectedEvent } from '@beckon/tracking';

/** Context keys that hold an address of the person's device: never stored. */
const NEVER_STORED = ['ip'] as const;

/**
 * The event as it is stored: without `context.ip` ever, and with only `context.library` (which library
 * sent it) unless `storeContext`. Returns the event itself when nothing is taken out.
 */
export function withStoredContext<E extends CollectedEvent>(event: E, storeContext: boolean): E {
  const context = event.context as Record<string, unknown> | undefined;
  if (context === undefined) return event;
  if (storeContext) {
    if (!NEVER_STORED.some((key) => key in context)) return event;
    const kept = { ...context };
    for (const key of NEVER_STORED) delete kept[key];
    return { ...event, context: kept };
  }
  const keys = Object.keys(context);
  if (keys.length === 1 && keys[0] === 'library') return event;
  const { context: _dropped, ...rest } = event;
  return (context['library'] === undefined ? rest : { ...rest, context: { library: context['library'] } }) as E;
}
