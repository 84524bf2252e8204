import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER, backoff, parseRetryAfter } from './backoff.js';

describe('backoff', () => {
  it('doubles per attempt and keeps between half and all of the ceiling', () => {
    expect([1, 2, 3, 4].map((attempt) => backoff({ attempt, random: 0 }))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((attempt) => backoff({ attempt, random: 0.999999 }))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoff({ attempt: 3, random: 0.5 })).toBe(3000);
  });

  it('never exceeds maxTimeout, however many attempts', () => {
    expect(backoff({ attempt: 50, random: 0.999999 })).toBe(60_000);
    expect(backoff({ attempt: 5000, random: 0.999999, maxTimeout: 5000 })).toBe(5000);
  });

  it('follows its options', () => {
    expect(backoff({ attempt: 2, minTimeout: 100, factor: 3, random: 0.999999 })).toBe(300);
    expect(backoff({ attempt: 0, random: 0 })).toBe(500);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-31T12:00:00Z');

  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Sat, 31 Jan 2026 12:00:30 GMT', now)).toBe(30_000);
  });

  it('ignores what is absent or unreadable, and clamps what is out of range', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now) ?? 0).toBe(0); // never a reason to wait longer
    expect(parseRetryAfter('Sat, 31 Jan 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('999999999', now)).toBe(MAX_RETRY_AFTER);
  });
});
