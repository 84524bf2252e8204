// Bounded growth: keep only the history that some frequency option of a live message can still need.
import type { CompiledCatalog } from './compiled.js';
import { parseDuration } from './duration.js';
import { historyOf, markTime, type Ledger, type Mark, type MessageHistory } from './ledger.js';
import type { Frequency, Message } from './types.js';

/**
 * Drops what no decision can need any more: history of messages no longer in `catalog`, and marks beyond
 * what `maxShows`, `minInterval` and `caps` look at (the latest show, dismissal and action always stay).
 * `catalog` is a compiled catalog or the parsed messages. Decisions before and after pruning are the same.
 */
export function prune(ledger: Ledger, catalog: CompiledCatalog | readonly Message[], now: number): Ledger {
  const messages: Record<string, MessageHistory> = {};
  for (const message of Array.isArray(catalog) ? catalog : (catalog as CompiledCatalog).messages) {
    const history = historyOf(ledger, message.id);
    if (!history) continue;
    const kept: MessageHistory = {};
    const shown = history.s && keepShows(history.s, message.frequency ?? {}, ledger.session?.start, now);
    if (shown?.length) kept.s = shown;
    if (history.d?.length) kept.d = history.d.slice(-1);
    if (history.a?.length) kept.a = history.a.slice(-1);
    messages[message.id] = kept;
  }
  return { ...ledger, messages };
}

/** The latest shows that maxShows, minInterval and the caps can still count. */
function keepShows(marks: Mark[], frequency: Frequency, sessionStart: number | undefined, now: number): Mark[] {
  const caps = frequency.caps ?? [];
  // Counting up to `max` is all a cap or maxShows needs, so the latest `most` shows are enough.
  const most = Math.max(1, frequency.maxShows ?? 0, ...caps.map((cap) => cap.max));
  const always = Math.max(1, frequency.maxShows ?? 0);
  let window = parseDuration(frequency.minInterval) ?? 0;
  let session = false;
  for (const cap of caps) {
    if (cap.per === 'session') session = true;
    else window = Math.max(window, parseDuration(cap.per) ?? 0);
  }
  const latest = marks.slice(-most);
  return latest.filter((mark, i) => {
    const at = markTime(mark);
    return latest.length - i <= always || at > now - window || (session && sessionStart !== undefined && at >= sessionStart);
  });
}
