// Statistics for experiments that people look at every day: always-valid intervals and the sample-ratio check.

/** A group of an experiment: how many people, and how many of them converted. */
export interface Group {
  size: number;
  conversions: number;
}

/** A difference of conversion rates with an interval around it. */
export interface Difference {
  /** This group's conversion rate minus the other's. */
  value: number;
  low: number;
  high: number;
}

/** Options of `sequentialDifference`. */
export interface SequentialOptions {
  /** 1 - coverage: 0.05 for a 95% interval. */
  alpha?: number;
  /**
   * The spread of differences the test is tuned for, in conversion rate (0.05: five points). The interval is
   * valid whatever it is; it is narrowest when the difference's standard error is near this divided by ~3.
   */
  effectScale?: number;
}

/**
 * The difference of conversion rates `a - b` with a confidence sequence: an interval that covers the true
 * difference at every moment at once with probability 1 - alpha, so it may be read after every visitor, and
 * stopped on, without inflating the error rate. The normal-mixture boundary of Robbins (1970) as used by the
 * mixture sequential probability ratio test (Johari, Koomen, Pekelis and Walsh, "Always Valid Inference",
 * Operations Research 70(3), 2022) and by Howard, Ramdas, McAuliffe and Sekhon ("Time-uniform, nonparametric,
 * nonasymptotic confidence sequences", Annals of Statistics 49(2), 2021): with V the variance of the estimate
 * and rho = V / effectScale^2, the half-width is sqrt(V (1 + rho) (ln(1 + 1/rho) + 2 ln(1/alpha))). V is
 * estimated from rates shrunk by one conversion in two people ((x + 1) / (n + 2)), so small groups with no
 * conversions yet do not get a zero-width interval. Null when either group is empty.
 */
export function sequentialDifference(a: Group, b: Group, options: SequentialOptions = {}): Difference | null {
  if (a.size === 0 || b.size === 0) return null;
  const { alpha = 0.05, effectScale = 0.05 } = options;
  const value = a.conversions / a.size - b.conversions / b.size;
  const variance = shrunkVariance(a) + shrunkVariance(b);
  const rho = variance / (effectScale * effectScale);
  const margin = Math.sqrt(variance * (1 + rho) * (Math.log(1 + 1 / rho) + 2 * Math.log(1 / alpha)));
  return { value, low: value - margin, high: value + margin };
}

/** The variance of a group's conversion rate, from its rate shrunk toward one half by one conversion in two. */
function shrunkVariance({ size, conversions }: Group): number {
  const p = (conversions + 1) / (size + 2);
  return (p * (1 - p)) / size;
}

/** The sample-ratio-mismatch check of an experiment: is the observed split of people far from the weights? */
export interface SampleRatioCheck {
  /** Pearson's chi-square statistic of the observed counts against the counts the weights expect. */
  chiSquare: number;
  degreesOfFreedom: number;
  /** The chance of a split at least this far from the weights if assignment works as it should. */
  pValue: number;
  /** pValue < 0.001: the assignment or the tracking is broken, and the experiment's numbers cannot be trusted. */
  mismatch: boolean;
}

/** The p-value below which a split counts as a sample ratio mismatch. */
export const SRM_THRESHOLD = 0.001;

/**
 * Pearson's chi-square test of observed counts against the shares their weights give (weights need not sum to
 * 1). Groups of weight 0 are left out (nobody should be in them). Null with fewer than two groups of weight
 * above 0 or no one observed.
 */
export function sampleRatioMismatch(observed: readonly number[], weights: readonly number[]): SampleRatioCheck | null {
  const groups = observed.flatMap((count, i) => (weights[i]! > 0 ? [[count, weights[i]!] as const] : []));
  const people = groups.reduce((sum, [count]) => sum + count, 0);
  const totalWeight = groups.reduce((sum, [, weight]) => sum + weight, 0);
  if (groups.length < 2 || people === 0) return null;
  let chiSquare = 0;
  for (const [count, weight] of groups) {
    const expected = (people * weight) / totalWeight;
    chiSquare += (count - expected) ** 2 / expected;
  }
  const degreesOfFreedom = groups.length - 1;
  const pValue = chiSquareSurvival(chiSquare, degreesOfFreedom);
  return { chiSquare, degreesOfFreedom, pValue, mismatch: pValue < SRM_THRESHOLD };
}

/** P(X >= x) for X chi-square distributed with k degrees of freedom: the regularized upper gamma Q(k/2, x/2). */
export function chiSquareSurvival(x: number, k: number): number {
  return x <= 0 ? 1 : upperGamma(k / 2, x / 2);
}

/** Q(s, x), the regularized upper incomplete gamma function: a series below s + 1, a continued fraction above. */
function upperGamma(s: number, x: number): number {
  const logPrefix = s * Math.log(x) - x - logGamma(s);
  if (x < s + 1) {
    // P(s, x) = x^s e^-x / Gamma(s + 1) * sum x^n / ((s + 1) ... (s + n))
    let term = 1 / s;
    let sum = term;
    for (let n = 1; n < 1000 && Math.abs(term) > Math.abs(sum) * 1e-16; n++) sum += term *= x / (s + n);
    return 1 - sum * Math.exp(logPrefix);
  }
  // Lentz's method for the continued fraction of Q(s, x).
  const tiny = 1e-300;
  let b = x + 1 - s;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - s);
    b += 2;
    d = an * d + b;
    d = Math.abs(d) < tiny ? tiny : d;
    c = b + an / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-16) break;
  }
  return Math.exp(logPrefix) * h;
}

/** ln Gamma(x) for x > 0 (Lanczos' approximation, g = 7, nine terms: about 15 correct digits). */
function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  x -= 1;
  let sum = c[0]!;
  for (let i = 1; i < 9; i++) sum += c[i]! / (x + i);
  const t = x + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
}
