// Sessions live in the ledger, so `caps: [{ per: 'session' }]` and `trigger.minPageViews` need nothing else.
import type { Ledger, LedgerSession } from './ledger.js';

/** Options of the session functions. */
export interface SessionOptions {
  /** Inactivity after which the next page view starts a new session, in ms. Default 30 minutes. */
  sessionTimeoutMs?: number;
}

/** Thirty minutes, the usual web-analytics session timeout. */
export const DEFAULT_SESSION_TIMEOUT_MS = 30 * 60_000;

/**
 * Counts a page (or screen) view at `now`: continues the session when its last view was at most
 * `sessionTimeoutMs` ago, otherwise starts a new one with this as its first view. Call it before `evaluate`.
 */
export function recordPageView(ledger: Ledger, now: number, options: SessionOptions = {}): Ledger {
  const { start, last, views } = sessionAt(ledger, now, options);
  return { ...ledger, session: { start: start === -Infinity ? now : start, last: Math.max(last, now), views: views + 1 } };
}

/**
 * The session in effect at `now`. When the ledger's session has timed out, a new one began the moment it did
 * (so shows since then count toward it) and has had no page view yet; before any page view, every show
 * counts toward the session (`start` is `-Infinity`).
 */
export function sessionAt(ledger: Ledger, now: number, options: SessionOptions = {}): LedgerSession {
  const session = ledger.session;
  const timeout = options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
  if (!session) return { start: -Infinity, last: now, views: 0 };
  return now - session.last <= timeout ? session : { start: Math.min(now, session.last + timeout + 1), last: now, views: 0 };
}
