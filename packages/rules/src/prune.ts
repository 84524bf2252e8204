// Bounded growth: keep only the history that some frequency option of a live message can still need.
import type { CompiledCatalog } from './compiled.js';
import { clampLedger, historyOf, type Ledger, type MessageHistory } from './ledger.js';

/**
 * Drops what no decision can need any more: the history of messages no longer in the compiled `catalog`,
 * and shows no frequency option can count at `now`. Counting up to `max` is all `maxShows` or a cap needs,
 * so at most `max(1, maxShows, every cap's max)` shows stay per message: the latest `maxShows`, those inside
 * the longest `minInterval` or cap window, those of the current session, and always the latest one; plus the
 * latest dismissal and action. Decisions at `now` or later are the same before and after. A time later than
 * `now` (a clock that ran ahead, a forged event) is stored as `now`, so it holds a message back for one
 * `minInterval` at most, not until that time comes.
 */
export function prune(ledger: Ledger, catalog: CompiledCatalog, now: number): Ledger {
  ledger = clampLedger(ledger, now);
  const messages: Record<string, MessageHistory> = {};
  for (const { id, frequency } of catalog.messages) {
    const history = historyOf(ledger, id);
    if (!history) continue;
    const caps = frequency.caps ?? [];
    const lifetime = Math.max(1, frequency.maxShows ?? 0);
    const window = Math.max(frequency.minInterval ?? 0, ...caps.map((cap) => (cap.per === 'session' ? 0 : cap.per)));
    // Before any page view every show counts toward the session (see sessionAt).
    const sessionStart = caps.some((cap) => cap.per === 'session') ? (ledger.session?.start ?? -Infinity) : Infinity;
    const latest = history.s?.slice(-Math.max(lifetime, ...caps.map((cap) => cap.max))) ?? [];
    const shown = latest.filter((at, i) => latest.length - i <= lifetime || at > now - window || at >= sessionStart);
    const kept: MessageHistory = (messages[id] = {});
    if (shown.length) kept.s = shown;
    for (const key of ['d', 'a'] as const) if (history[key]?.length) kept[key] = history[key].slice(-1);
  }
  return { ...ledger, messages };
}
