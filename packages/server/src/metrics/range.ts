import { HttpError } from '../http/errors.js';
import type { TimeRange } from '../storage/contract.js';

/** The range metrics cover when the request names none: the 30 days before now. */
export const DEFAULT_RANGE_MS = 30 * 24 * 60 * 60 * 1000;

/** Reads a time as epoch milliseconds (`1767225600000`) or an ISO date (`2026-01-01`, `2026-01-01T12:00:00Z`). */
function parseTime(name: string, value: string): number {
  const time = /^-?\d+$/.test(value) ? Number(value) : /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
  // 8.64e15 ms is the edge of what a Date can hold.
  if (!Number.isSafeInteger(time) || Math.abs(time) > 8.64e15) {
    throw new HttpError(400, `${name} "${value}" is not a time: use epoch milliseconds or an ISO date such as 2026-01-31`);
  }
  return time;
}

/**
 * Reads `from` and `to` from the query: [from, to) in epoch ms. `to` defaults to now and `from`
 * to 30 days before `to`. Throws 400 naming the parameter that is not a time, or when from >= to.
 */
export function parseRange(params: URLSearchParams, now: number): TimeRange {
  const toText = params.get('to');
  const fromText = params.get('from');
  const to = toText === null || toText === '' ? now : parseTime('to', toText);
  const from = fromText === null || fromText === '' ? to - DEFAULT_RANGE_MS : parseTime('from', fromText);
  if (from >= to) throw new HttpError(400, `from (${new Date(from).toISOString()}) must be before to (${new Date(to).toISOString()})`);
  return { from, to };
}
