import { describe, expect, it } from 'vitest';
import { chiSquareSurvival, sampleRatioMismatch, sequentialDifference, type Difference, type Group } from './experiment-stats.js';
import { lift } from './metrics.js';

/** mulberry32: a small seeded generator, passed to each simulation so every run draws the same numbers. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const excludesZero = (difference: Difference | null) => !!difference && (difference.low > 0 || difference.high < 0);

describe('sequentialDifference', () => {
  // References computed independently (Python) with Johari et al.'s form of the mSPRT interval for equal groups,
  // theta ± sqrt(V (V + n tau²) / (n² tau²) · ln((V + n tau²) / (V alpha²))), V the sum of the groups'
  // per-person variances from shrunk rates, tau = 0.05, alpha = 0.05; and its general form for unequal groups.
  it.each([
    [{ size: 1000, conversions: 120 }, { size: 1000, conversions: 100 }, 0.02, -0.022752409500782146, 0.06275240950078212],
    [{ size: 200, conversions: 30 }, { size: 200, conversions: 30 }, 0, -0.11809782828620166, 0.11809782828620166],
    [{ size: 1000, conversions: 120 }, { size: 200, conversions: 15 }, 0.045, -0.021204638348590932, 0.11120463834859093],
  ])('matches the reference computation for %j against %j', (a: Group, b: Group, value, low, high) => {
    const difference = sequentialDifference(a, b)!;
    expect(difference.value).toBeCloseTo(value, 12);
    expect(difference.low).toBeCloseTo(low, 12);
    expect(difference.high).toBeCloseTo(high, 12);
  });

  it('is null when a group is empty, and wider than the fixed-sample interval on the same data', () => {
    expect(sequentialDifference({ size: 0, conversions: 0 }, { size: 10, conversions: 1 })).toBeNull();
    const a = { size: 5000, conversions: 700 };
    const b = { size: 5000, conversions: 500 };
    const sequential = sequentialDifference(a, b)!;
    const fixed = lift({ size: a.size, conversionRate: 0.14 }, { size: b.size, conversionRate: 0.1 })!;
    expect(sequential.high - sequential.low).toBeGreaterThan(fixed.high - fixed.low);
    expect(sequential.low).toBeGreaterThan(0);
  });

  /**
   * Runs `experiments` A/A tests of `visitors` each, every visitor in group B with chance `shareB`, both groups
   * converting with chance `rate`; `interval` is read after every hundred visitors. Returns the share of tests in
   * which it excluded zero at any look (a false discovery, as both groups are the same).
   */
  function falseDiscoveries(random: () => number, interval: (b: Group, a: Group) => Difference | null, options: { rate: number; shareB: number }): number {
    const experiments = 1000;
    const visitors = 10_000;
    let discoveries = 0;
    for (let e = 0; e < experiments; e++) {
      const a = { size: 0, conversions: 0 };
      const b = { size: 0, conversions: 0 };
      for (let v = 1; v <= visitors; v++) {
        const group = random() < options.shareB ? b : a;
        group.size++;
        if (random() < options.rate) group.conversions++;
        if (v % 100 === 0 && excludesZero(interval(b, a))) {
          discoveries++;
          break;
        }
      }
    }
    return discoveries / experiments;
  }

  const wald = (b: Group, a: Group) => lift({ size: b.size, conversionRate: b.conversions / b.size }, { size: a.size, conversionRate: a.conversions / a.size });

  // 1,000 experiments: the share's standard error at 5% is 0.7%, so "about 5%" is allowed up to 6%.
  it.each([
    ['two equal variants converting at 10%', { rate: 0.1, shareB: 0.5 }, 1],
    ['two equal variants converting at 2%', { rate: 0.02, shareB: 0.5 }, 2],
    ['a variant against a 10% control group, both at 10%', { rate: 0.1, shareB: 0.1 }, 3],
  ])('%s: excludes zero in at most about 5%% of A/A tests, read after every hundred visitors', (_, options, seed) => {
    expect(falseDiscoveries(seeded(seed), sequentialDifference, options)).toBeLessThanOrEqual(0.06);
  });

  it('the fixed-sample interval, read as often, excludes zero far more often: the simulation can tell', () => {
    expect(falseDiscoveries(seeded(1), wald, { rate: 0.1, shareB: 0.5 })).toBeGreaterThan(0.15);
  });

  it('finds a real difference: 10% against 13%, within 10,000 visitors in most experiments', () => {
    const random = seeded(4);
    let found = 0;
    for (let e = 0; e < 200; e++) {
      const a = { size: 0, conversions: 0 };
      const b = { size: 0, conversions: 0 };
      for (let v = 1; v <= 10_000; v++) {
        const inB = random() < 0.5;
        const group = inB ? b : a;
        group.size++;
        if (random() < (inB ? 0.13 : 0.1)) group.conversions++;
        if (v % 100 === 0 && sequentialDifference(b, a)!.low > 0) {
          found++;
          break;
        }
      }
    }
    expect(found / 200).toBeGreaterThan(0.7);
  });
});

describe('sampleRatioMismatch', () => {
  // Statistics and p-values from scipy.stats.chi2.sf on the same counts.
  it.each([
    [[5000, 5000], [1, 1], 0, 1, 1],
    [[5120, 4880], [1, 1], 5.76, 1, 0.01639507184919225],
    [[5250, 4750], [1, 1], 25, 1, 5.733031437583875e-7],
    [[700, 2050, 7250], [1, 2, 7], 100.17857142857143, 2, 1.764004187738656e-22],
    [[100, 120, 0], [1, 1, 0], 1.8181818181818181, 1, 0.1775298524121496],
  ])('%j against weights %j: the reference statistic and p-value', (observed, weights, chiSquare, degreesOfFreedom, pValue) => {
    const check = sampleRatioMismatch(observed, weights)!;
    expect(check.chiSquare).toBeCloseTo(chiSquare, 9);
    expect(check.degreesOfFreedom).toBe(degreesOfFreedom);
    expect(check.pValue / pValue).toBeCloseTo(1, 8);
    expect(check.mismatch).toBe(pValue < 0.001);
  });

  it('computes chi-square tail probabilities like scipy', () => {
    expect(chiSquareSurvival(0.5, 1)).toBeCloseTo(0.47950012218695337, 12);
    expect(chiSquareSurvival(30, 3) / 1.3800570312932553e-6).toBeCloseTo(1, 9);
    expect(chiSquareSurvival(100, 10) / 5.4497019829205215e-17).toBeCloseTo(1, 8);
    expect(chiSquareSurvival(3.2, 7)).toBeCloseTo(0.8659047417360984, 12);
  });

  it('is null with fewer than two weighted groups or nobody observed', () => {
    expect(sampleRatioMismatch([10], [1])).toBeNull();
    expect(sampleRatioMismatch([0, 0], [1, 1])).toBeNull();
    expect(sampleRatioMismatch([10, 5], [1, 0])).toBeNull();
  });

  /** How often the check fires over `runs` experiments of 10,000 visitors split with the given chances. */
  function alarms(random: () => number, chances: number[], weights: number[], runs = 1000): number {
    let fired = 0;
    for (let r = 0; r < runs; r++) {
      const counts = chances.map(() => 0);
      for (let v = 0; v < 10_000; v++) {
        const point = random();
        let group = 0;
        for (let sum = chances[0]!; point >= sum && group < chances.length - 1; sum += chances[++group]!);
        counts[group]!++;
      }
      if (sampleRatioMismatch(counts, weights)!.mismatch) fired++;
    }
    return fired / runs;
  }

  it('stays quiet on fair splits (about one alarm in a thousand at most)', () => {
    expect(alarms(seeded(5), [0.5, 0.5], [1, 1])).toBeLessThanOrEqual(0.005);
    expect(alarms(seeded(6), [0.1, 0.2, 0.7], [1, 2, 7])).toBeLessThanOrEqual(0.005);
  });

  it('fires on skewed splits', () => {
    expect(alarms(seeded(7), [0.53, 0.47], [1, 1], 200)).toBeGreaterThan(0.95);
    expect(alarms(seeded(8), [0.13, 0.2, 0.67], [1, 2, 7], 200)).toBeGreaterThan(0.95);
  });
});
