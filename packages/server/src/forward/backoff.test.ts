import { describe, expect, it } from 'vitest';
import { retryDelay } from './backoff.js';

const options = { minMs: 1_000, maxMs: 300_000 };

describe('retryDelay', () => {
  it('doubles from the minimum, between half and all of the step by the randomness', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelay(attempt, 0, options))).toEqual([500, 1_000, 2_000, 4_000]);
    expect([1, 2, 3, 4].map((attempt) => retryDelay(attempt, 0.999999, options))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(retryDelay(3, 0.5, options)).toBe(3_000);
  });

  it('never waits longer than the maximum, however many attempts failed', () => {
    expect(retryDelay(9, 0.999999, options)).toBe(256_000);
    expect(retryDelay(10, 0.999999, options)).toBe(300_000);
    expect(retryDelay(10_000, 0.999999, options)).toBe(300_000);
    expect(retryDelay(10_000, 0, options)).toBe(150_000);
  });
});
