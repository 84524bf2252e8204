import { describe, expect, it } from 'vitest';
import { HttpError } from '../http/errors.js';
import { DEFAULT_RANGE_MS, MAX_TREND_DAYS, parseDaily, parseRange } from './range.js';

const NOW = Date.parse('2026-03-01T00:00:00Z');
const range = (query: string) => parseRange(new URLSearchParams(query), NOW);

describe('parseRange', () => {
  it('reads epoch milliseconds and ISO dates', () => {
    expect(range('from=1000&to=2000')).toEqual({ from: 1000, to: 2000 });
    expect(range('from=2026-01-01&to=2026-02-01T12:00:00Z')).toEqual({
      from: Date.parse('2026-01-01T00:00:00Z'),
      to: Date.parse('2026-02-01T12:00:00Z'),
    });
  });

  it('defaults to the 30 days before now, or before `to`', () => {
    expect(range('')).toEqual({ from: NOW - DEFAULT_RANGE_MS, to: NOW });
    expect(range('to=5000000000000')).toEqual({ from: 5000000000000 - DEFAULT_RANGE_MS, to: 5000000000000 });
  });

  it.each([
    ['from=yesterday', 'from "yesterday" is not a time'],
    ['to=2026-13-45', 'to "2026-13-45" is not a time'],
    ['from=1.5', 'from "1.5" is not a time'],
    ['to=99999999999999999999', 'is not a time'],
    ['from=2000&to=1000', 'must be before to'],
    ['from=1000&to=1000', 'must be before to'],
  ])('%s is a 400: %s', (query, message) => {
    let error: unknown;
    try {
      range(query);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(400);
    expect((error as HttpError).message).toContain(message);
  });
});

describe('parseDaily', () => {
  const daily = (query: string) => parseDaily(new URLSearchParams(query), range(query));

  it('is asked for with true or 1, and not without', () => {
    expect(daily('daily=true')).toBe(true);
    expect(daily('daily=1')).toBe(true);
    expect(daily('daily=false')).toBe(false);
    expect(daily('daily=0')).toBe(false);
    expect(daily('')).toBe(false);
  });

  it('refuses other values, and trends over more days than it draws, naming the parameter', () => {
    expect(() => daily('daily=yes')).toThrow('daily "yes" is not a yes or no');
    const days = (n: number) => `daily=true&from=2026-01-01&to=${new Date(Date.parse('2026-01-01') + n * 86_400_000).toISOString().slice(0, 10)}`;
    expect(daily(days(MAX_TREND_DAYS))).toBe(true);
    expect(() => daily(days(MAX_TREND_DAYS + 1))).toThrow(`daily trends cover at most ${MAX_TREND_DAYS} days, and from..to spans ${MAX_TREND_DAYS + 1}`);
  });
});
