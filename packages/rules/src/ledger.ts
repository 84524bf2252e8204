// The ledger: one visitor's shows, dismissals and actions per message, plus their session.
// Plain, versioned JSON; every function returns a new ledger and never changes the one it is given.
import { fnv1a } from './holdout.js';
import { MESSAGE_ID } from './id.js';
import type { LedgerEventType } from './types.js';

/**
 * What happened to one message: times in epoch milliseconds, oldest first, no time twice. A time is the
 * identity of its record, which is what lets two tabs' ledgers merge without losing or double-counting a
 * show. Keys are one letter because the ledger lives in storage and travels with every decide request:
 * `s` shown, `d` dismissed, `a` action taken.
 */
export interface MessageHistory {
  s?: number[];
  d?: number[];
  a?: number[];
}

/** The visitor's current session: when it started, when it was last active, and its page views. */
export interface LedgerSession {
  /** Epoch ms the session began: its first page view, or the moment the session before it timed out (see `sessionAt`). */
  start: number;
  /** Epoch ms of its latest page view. */
  last: number;
  /** Page (or screen) views so far in this session. */
  views: number;
}

/** One visitor's frequency state. Plain JSON; read it back from storage with `parseLedger`. */
export interface Ledger {
  /** Format version. */
  v: 1;
  /** History per message id. */
  messages: Record<string, MessageHistory>;
  /** The session, once a page view was recorded (`recordPageView`). */
  session?: LedgerSession;
}

/** What `record` adds to a ledger. */
export interface LedgerRecord {
  messageId: string;
  type: LedgerEventType;
  /** Epoch milliseconds. */
  at: number;
  /** Which action was taken. The ledger keeps only that one was (all frequency needs); the tracker keeps which. */
  actionId?: string;
  /**
   * A short id of the tab (or device) writing, e.g. 4 random characters per page load. Give it when several
   * tabs share one ledger: the record's time then gets a sub-millisecond fraction derived from the tab, so
   * two tabs' shows in the same millisecond stay two shows after a merge.
   */
  tab?: string;
}

/** Times kept per list at the most, whatever `prune` allows: a bound on growth between prunes. */
export const MAX_MARKS = 1000;

const KEYS = ['s', 'd', 'a'] as const;

/** A ledger with no history and no session. */
export function emptyLedger(): Ledger {
  return { v: 1, messages: {} };
}

/** The history of one message, or `undefined` when nothing was recorded for it. */
export function historyOf(ledger: Ledger, messageId: string): MessageHistory | undefined {
  return Object.hasOwn(ledger.messages, messageId) ? ledger.messages[messageId] : undefined;
}

/**
 * Adds a show, dismissal or action. Recording the same record twice (same message, type, time and tab)
 * changes nothing, so replaying records is safe. Throws a `TypeError` naming the field for invalid input.
 * `at` is kept as given, even when later than the reader's clock: `evaluate` and `prune` take such times as
 * their `now` (see `clampLedger`).
 */
export function record(ledger: Ledger, entry: LedgerRecord): Ledger {
  const { messageId, type, at, tab } = entry;
  if (!/^(shown|dismissed|action)$/.test(type) || typeof messageId !== 'string' || !MESSAGE_ID.test(messageId) || !isTime(at) || (tab !== undefined && typeof tab !== 'string')) {
    throw new TypeError(`record: expected { messageId, type: "shown" | "dismissed" | "action", at: epoch ms, tab?: string }, got ${JSON.stringify(entry)}.`);
  }
  return addRecord(ledger, entry);
}

/**
 * `record` without the check of its input, for a caller whose records are valid by construction (the engine: ids from
 * a compiled catalog, times from its host's clock), so browsers do not download the check.
 */
export function addRecord(ledger: Ledger, { messageId, type, at, tab }: LedgerRecord): Ledger {
  // A history's keys are the types' first letters.
  const key = type[0] as keyof MessageHistory;
  // 1 to 999 thousandths of a millisecond, the same for every record of this tab.
  const time = tab === undefined ? at : Math.floor(at) + (((fnv1a(0x811c9dc5, tab) >>> 0) % 999) + 1) / 1000;
  const history = historyOf(ledger, messageId) ?? {};
  return { ...ledger, messages: { ...ledger.messages, [messageId]: { ...history, [key]: union(history[key], [time]) } } };
}

/**
 * The union of two ledgers, e.g. two tabs that wrote at once, or a ledger joining another on identify.
 * No record is lost or counted twice; the later session wins. Commutative, associative and idempotent.
 * Times are merged as they are (it has no clock); `prune`, called before storing, takes future ones as now.
 */
export function mergeLedgers(a: Ledger, b: Ledger): Ledger {
  const messages: Record<string, MessageHistory> = {};
  for (const id of [...new Set([...Object.keys(a.messages), ...Object.keys(b.messages)])].sort()) {
    const x = historyOf(a, id) ?? {};
    const y = historyOf(b, id) ?? {};
    const merged: MessageHistory = (messages[id] = {});
    for (const key of KEYS) if (x[key] || y[key]) merged[key] = union(x[key], y[key]);
  }
  const s = a.session;
  const t = b.session;
  // The later session wins; within one session, the copy that saw more (a maximum is order-independent).
  const session = !s || !t ? (s ?? t) : (s.start - t.start || s.views - t.views || s.last - t.last) > 0 ? s : t;
  return { v: 1, messages, ...(session && { session }) };
}

/**
 * The ledger with every time later than `now` taken as `now` (records that become one time are one record).
 * Times come from clocks that may run ahead, and from events anyone can send.
 */
export function clampLedger(ledger: Ledger, now: number): Ledger {
  const messages: Record<string, MessageHistory> = {};
  for (const id in ledger.messages) {
    const history = ledger.messages[id]!;
    const kept: MessageHistory = (messages[id] = {});
    for (const key of KEYS) if (history[key]) kept[key] = union(history[key].map((at) => Math.min(at, now)));
  }
  const session = ledger.session;
  return { ...ledger, messages, ...(session && { session: { ...session, start: Math.min(session.start, now), last: Math.min(session.last, now) } }) };
}

/** The sorted union of two lists of times, without repeats, keeping the latest MAX_MARKS. */
function union(a: readonly number[] = [], b: readonly number[] = []): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y).slice(-MAX_MARKS);
}

/**
 * Reads a ledger back from storage: the stored JSON text or the parsed value. Anything unreadable gives a
 * fresh ledger; a readable ledger keeps every valid part. Never throws.
 */
export function parseLedger(value: unknown): Ledger {
  try {
    const stored = typeof value === 'string' ? JSON.parse(value) : value;
    const ledger = emptyLedger();
    if (stored.v !== 1) return ledger;
    for (const [id, history] of Object.entries(stored.messages as Record<string, Record<string, unknown>>)) {
      if (!MESSAGE_ID.test(id) || typeof history !== 'object' || history === null) continue;
      const kept: MessageHistory = (ledger.messages[id] = {});
      for (const key of KEYS) {
        const times = history[key];
        if (Array.isArray(times) && times.length) kept[key] = union(times.slice(-MAX_MARKS).filter(isTime));
      }
    }
    const { start, last, views } = stored.session ?? {};
    if (isTime(start) && isTime(last) && Number.isSafeInteger(views) && views >= 0) ledger.session = { start, last, views };
    return ledger;
  } catch {
    // Anything that is not shaped like a ledger (text that is not JSON, null, a number...) lands here.
    return emptyLedger();
  }
}

/** A time the Date type can represent, in epoch milliseconds. */
function isTime(value: unknown): value is number {
  return typeof value === 'number' && Math.abs(value) <= 8.64e15;
}
