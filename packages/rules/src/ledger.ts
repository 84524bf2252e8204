// The ledger: one visitor's shows, dismissals and actions per message, plus their session.
// Plain, versioned JSON; every function returns a new ledger and never changes the one it is given.
import { MESSAGE_ID } from './id.js';
import type { LedgerEventType } from './types.js';

/**
 * One recorded moment: its time in epoch milliseconds, or `[time, tab]` when the caller named the tab
 * (or device) that wrote it. Two marks are the same record exactly when time and tab are equal, which is
 * what lets two tabs' ledgers merge without losing or double-counting a show.
 */
export type Mark = number | [at: number, tab: string];

/**
 * What happened to one message, each list oldest first. Keys are one letter because the ledger lives in
 * storage and travels with every decide request: `s` shown, `d` dismissed, `a` action taken.
 */
export interface MessageHistory {
  s?: Mark[];
  d?: Mark[];
  a?: Mark[];
}

/** The visitor's current session: when it started, when it was last active, and its page views. */
export interface LedgerSession {
  /** Epoch ms of the session's first page view. */
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
  /** Which action was taken. The ledger keeps only that one was (that is all frequency needs); the tracker keeps which. */
  actionId?: string;
  /**
   * A short id of the tab or device writing this record (say 4 random characters per page load). Give it
   * when several tabs share one ledger: two shows in the same millisecond then stay two shows after a merge.
   */
  tab?: string;
}

/** Marks kept per list at the most, whatever `prune` allows: a bound on growth between prunes. */
export const MAX_MARKS = 1000;
/** Messages kept at the most by `parseLedger` (input from storage or the network is untrusted). */
export const MAX_LEDGER_MESSAGES = 2000;

const LIST: Record<LedgerEventType, keyof MessageHistory> = { shown: 's', dismissed: 'd', action: 'a' };

/** A ledger with no history and no session. */
export function emptyLedger(): Ledger {
  return { v: 1, messages: {} };
}

/** The time of a mark, in epoch milliseconds. */
export function markTime(mark: Mark): number {
  return typeof mark === 'number' ? mark : mark[0];
}

/** The history of one message, or `undefined` when nothing was recorded for it. */
export function historyOf(ledger: Ledger, messageId: string): MessageHistory | undefined {
  return Object.hasOwn(ledger.messages, messageId) ? ledger.messages[messageId] : undefined;
}

/**
 * Adds a show, dismissal or action. Recording the same record twice (same message, type, time and tab)
 * changes nothing, so replaying records is safe. Throws a `TypeError` naming the field for invalid input.
 */
export function record(ledger: Ledger, entry: LedgerRecord): Ledger {
  if (typeof entry !== 'object' || entry === null) throw new TypeError('record: pass { messageId, type, at }.');
  const { messageId, type, at, tab } = entry;
  if (typeof messageId !== 'string' || !MESSAGE_ID.test(messageId)) {
    throw new TypeError(`record: messageId ${JSON.stringify(messageId)} is not a message id (1–64 of a-z, 0-9, "_", "-").`);
  }
  if (!Object.hasOwn(LIST, type)) throw new TypeError(`record: type ${JSON.stringify(type)} must be "shown", "dismissed" or "action".`);
  if (!isTime(at)) throw new TypeError(`record: at ${JSON.stringify(at)} must be a time in epoch milliseconds.`);
  if (tab !== undefined && !isTab(tab)) throw new TypeError(`record: tab ${JSON.stringify(tab)} must be a string of 1–64 characters.`);
  const key = LIST[type];
  const history = historyOf(ledger, messageId) ?? {};
  const marks = unionMarks(history[key] ?? [], [tab === undefined ? at : [at, tab]]);
  return { ...ledger, messages: { ...ledger.messages, [messageId]: { ...history, [key]: marks.slice(-MAX_MARKS) } } };
}

/**
 * The union of two ledgers, e.g. two tabs that wrote at once, or a ledger joining another on identify.
 * No mark is lost or counted twice; the later session wins. Commutative, associative and idempotent.
 */
export function mergeLedgers(a: Ledger, b: Ledger): Ledger {
  const messages: Record<string, MessageHistory> = {};
  const ids = [...new Set([...Object.keys(a.messages), ...Object.keys(b.messages)])].sort();
  for (const id of ids) {
    const x = historyOf(a, id) ?? {};
    const y = historyOf(b, id) ?? {};
    const merged: MessageHistory = {};
    for (const key of ['s', 'd', 'a'] as const) {
      const marks = unionMarks(x[key] ?? [], y[key] ?? []);
      if (marks.length > 0) merged[key] = marks.slice(-MAX_MARKS);
    }
    messages[id] = merged;
  }
  const session = mergeSessions(a.session, b.session);
  return session ? { v: 1, messages, session } : { v: 1, messages };
}

function mergeSessions(a: LedgerSession | undefined, b: LedgerSession | undefined): LedgerSession | undefined {
  if (!a || !b) return a ?? b;
  if (a.start !== b.start) return a.start > b.start ? a : b;
  return { start: a.start, last: Math.max(a.last, b.last), views: Math.max(a.views, b.views) };
}

/** Merges two sorted, duplicate-free mark lists into one (sorted by time, then tab). */
export function unionMarks(a: readonly Mark[], b: readonly Mark[]): Mark[] {
  const out: Mark[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const order = i >= a.length ? 1 : j >= b.length ? -1 : compareMarks(a[i]!, b[j]!);
    const next = order <= 0 ? a[i++]! : b[j++]!;
    if (order === 0) j++;
    out.push(next);
  }
  return out;
}

function compareMarks(a: Mark, b: Mark): number {
  const time = markTime(a) - markTime(b);
  if (time !== 0) return time;
  const ta = typeof a === 'number' ? '' : a[1];
  const tb = typeof b === 'number' ? '' : b[1];
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}

/**
 * Reads a ledger back from storage: the stored JSON text or the parsed value. Anything unreadable gives a
 * fresh ledger; a readable ledger keeps every valid part. Never throws.
 */
export function parseLedger(value: unknown): Ledger {
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return emptyLedger();
    }
  }
  if (!isObject(value) || value.v !== 1 || !isObject(value.messages)) return emptyLedger();
  const messages: Record<string, MessageHistory> = {};
  for (const id of Object.keys(value.messages).slice(0, MAX_LEDGER_MESSAGES)) {
    const stored = value.messages[id];
    if (!MESSAGE_ID.test(id) || !isObject(stored)) continue;
    const history: MessageHistory = {};
    for (const key of ['s', 'd', 'a'] as const) {
      const list = stored[key];
      if (!Array.isArray(list)) continue;
      const marks = list.filter(isMark).sort(compareMarks).reduce<Mark[]>((kept, mark) => {
        if (kept.length === 0 || compareMarks(kept[kept.length - 1]!, mark) !== 0) kept.push(mark);
        return kept;
      }, []);
      if (marks.length > 0) history[key] = marks.slice(-MAX_MARKS);
    }
    messages[id] = history;
  }
  const session = value.session;
  const ledger: Ledger = { v: 1, messages };
  if (isObject(session) && isTime(session.start) && isTime(session.last) && Number.isSafeInteger(session.views) && (session.views as number) >= 0) {
    ledger.session = { start: session.start, last: session.last, views: session.views as number };
  }
  return ledger;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A time the Date type can represent, in epoch milliseconds. */
function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= 8.64e15;
}

function isTab(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 64;
}

function isMark(value: unknown): value is Mark {
  if (isTime(value)) return true;
  return Array.isArray(value) && value.length === 2 && isTime(value[0]) && isTab(value[1]);
}
