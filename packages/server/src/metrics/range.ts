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

/** The most UTC days daily trends cover in one request. */
export const MAX_TREND_DAYS = 366;

/** How many UTC days [from, to) touches. */
export const daysIn = ({ from, to }: TimeRange): number => Math.floor((to - 1) / 86_400_000) - Math.floor(from / 86_400_000) + 1;

/**
 * Reads `daily` from the query: `true` (or `1`) asks for viewers and conversions per UTC day, `false`, `0` or
 * nothing does not. Throws 400 for other values, and for trends over more than MAX_TREND_DAYS days.
 */
export function parseDaily(params: URLSearchParams, range: TimeRange): boolean {
  const text = params.get('daily');
  if (text === null || text === '' || text === 'false' || text === '0') return false;
  if (text !== 'true' && text !== '1') throw new HttpError(400, `daily "${text}" is not a yes or no: use daily=true or leave it out`);
  if (daysIn(range) > MAX_TREND_DAYS) {
    throw new HttpError(400, `daily trends cover at most ${MAX_TREND_DAYS} days, and from..to spans ${daysIn(range)}: narrow the range`);
  }
  return true;
}
