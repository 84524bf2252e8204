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
 * Counts a page (or screen) view at `now`: continues the session when the last view was at most
 * `sessionTimeoutMs` ago, otherwise starts a new one with this as its first view. Call it before `evaluate`.
 */
export function recordPageView(ledger: Ledger, now: number, options: SessionOptions = {}): Ledger {
  const session = currentSession(ledger, now, options);
  const next: LedgerSession = session
    ? { start: session.start, last: Math.max(session.last, now), views: session.views + 1 }
    : { start: now, last: now, views: 1 };
  return { ...ledger, session: next };
}

/** The ledger's session if it is still going at `now`, else `undefined` (the next page view starts a new one). */
export function currentSession(ledger: Ledger, now: number, options: SessionOptions = {}): LedgerSession | undefined {
  const session = ledger.session;
  const timeout = options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
  return session && now - session.last <= timeout ? session : undefined;
}
