import { describe, expect, it } from 'vitest';
import { clockSkew, FUTURE_TOLERANCE_MS, trustedTime } from './event-times.js';

const NOW = Date.parse('2026-03-02T10:00:00Z');

describe('event times', () => {
  it('reads the sender clock skew from sentAt, ignoring network time and anything not a date', () => {
    expect(clockSkew(new Date(NOW - 3_600_000).toISOString(), NOW)).toBe(3_600_000);
    expect(clockSkew(new Date(NOW + 3_600_000).toISOString(), NOW)).toBe(-3_600_000);
    expect(clockSkew(new Date(NOW - 2_000).toISOString(), NOW)).toBe(0);
    for (const sentAt of [undefined, 'soon', 42]) expect(clockSkew(sentAt, NOW)).toBe(0);
  });

  it('clamps a time still ahead of the time received to it, after the skew correction', () => {
    expect(trustedTime(Date.parse('9999-12-31T00:00:00Z'), NOW)).toBe(NOW);
    expect(trustedTime(NOW + FUTURE_TOLERANCE_MS, NOW)).toBe(NOW + FUTURE_TOLERANCE_MS);
    expect(trustedTime(NOW + FUTURE_TOLERANCE_MS + 1, NOW)).toBe(NOW);
    expect(trustedTime(NOW - 5_000 + 3_600_000, NOW, -3_600_000)).toBe(NOW - 5_000);
    expect(trustedTime(NOW - 86_400_000, NOW)).toBe(NOW - 86_400_000);
    expect(trustedTime(null, NOW)).toBe(null);
  });
});
