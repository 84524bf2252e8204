// Event times the collector can trust: a sender's wrong clock is corrected with `sentAt`, and a time
// still ahead of the moment the event was received is clamped to that moment, so no event dated in the
// future reaches a ledger (where it would hold a message back until that date) or the metrics.
import type { CollectedEvent } from '@beckon/tracking';

/** How far ahead of the time received an event may be dated before its time is clamped: 60 s. */
export const FUTURE_TOLERANCE_MS = 60_000;

/**
 * How far the sender's clock is behind ours (negative: ahead), from the `sentAt` it stamped the request
 * with; 0 when `sentAt` is absent, not an ISO date, or within FUTURE_TOLERANCE_MS (network time, not a
 * wrong clock).
 */
export function clockSkew(sentAt: unknown, receivedMs: number): number {
  if (typeof sentAt !== 'string') return 0;
  const sent = Date.parse(sentAt);
  if (Number.isNaN(sent)) return 0;
  const skew = receivedMs - sent;
  return Math.abs(skew) > FUTURE_TOLERANCE_MS ? skew : 0;
}

/**
 * The event's time as the store should keep it: shifted by the sender's clock skew, and never later than
 * `receivedMs` + FUTURE_TOLERANCE_MS (later ones become `receivedMs`).
 */
export function trustedTime(time: number | null, receivedMs: number, skew = 0): number | null {
  if (time === null) return null;
  const corrected = time + skew;
  return corrected > receivedMs + FUTURE_TOLERANCE_MS ? receivedMs : corrected;
}

/**
 * The events with trusted times (see `trustedTime`). An event whose time changes gets the trusted one as
 * its `timestamp` and keeps the one it was sent with as `originalTimestamp`, as Segment does; the others
 * are returned as they are.
 */
export function withTrustedTimes<E extends CollectedEvent>(events: readonly E[], receivedMs: number, skew = 0): E[] {
  return events.map((event) => {
    const sent = Date.parse(event.timestamp);
    const time = trustedTime(Number.isNaN(sent) ? null : sent, receivedMs, skew);
    if (time === null || time === sent) return event;
    const trusted: E = { ...event, timestamp: new Date(time).toISOString() };
    return Object.assign(trusted, { originalTimestamp: event.timestamp });
  });
}
