import { describe, expect, it } from 'vitest';
import { holdoutBucket } from './holdout.js';

describe('holdoutBucket', () => {
  it('is stable: the same visitor and message always land in the same place', () => {
    expect(holdoutBucket('visitor-1', 'coupon')).toBe(holdoutBucket('visitor-1', 'coupon'));
    expect(holdoutBucket('visitor-1', 'coupon')).not.toBe(holdoutBucket('visitor-1', 'banner'));
    expect(holdoutBucket('ab', 'c')).not.toBe(holdoutBucket('a', 'bc'));
  });

  it('lies in [0, 1)', () => {
    for (let i = 0; i < 10_000; i++) {
      const bucket = holdoutBucket(`v${i}`, 'm');
      expect(bucket >= 0 && bucket < 1).toBe(true);
    }
  });

  // Sequential ids, uuid-like ids from a seeded generator, and short ids: each a realistic way to name visitors.
  const seeded = (seed: number) => () => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
  const next = seeded(7);
  const uuid = () => 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, () => Math.floor(next() * 16).toString(16));
  const populations: Array<[string, string[]]> = [
    ['sequential', Array.from({ length: 100_000 }, (_, i) => `visitor-${i}`)],
    ['uuid-like', Array.from({ length: 100_000 }, uuid)],
    ['numeric', Array.from({ length: 100_000 }, (_, i) => String(i))],
  ];

  it.each(populations)('puts the holdout share of 100,000 %s visitors in the control group, within 1%%', (_, visitors) => {
    for (const messageId of ['first-order-coupon', 'm', 'newsletter-2026']) {
      const buckets = visitors.map((visitorId) => holdoutBucket(visitorId, messageId));
      for (const share of [0.01, 0.1, 0.25, 0.5, 0.9]) {
        const control = buckets.filter((bucket) => bucket < share).length / visitors.length;
        expect(Math.abs(control - share)).toBeLessThan(0.01);
      }
    }
  });

  it('draws the groups of two messages independently', () => {
    const visitors = populations[0]![1];
    const both = visitors.filter((visitorId) => holdoutBucket(visitorId, 'a') < 0.5 && holdoutBucket(visitorId, 'b') < 0.5).length / visitors.length;
    expect(Math.abs(both - 0.25)).toBeLessThan(0.01);
  });
});
