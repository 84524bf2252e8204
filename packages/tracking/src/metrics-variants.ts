// Per-variant metrics from per-variant counts: one assembly for computeMetrics and for the server's SQL, so the
// order, the rates, the intervals and the split check are the same wherever the counts come from.
import { sampleRatioMismatch, sequentialDifference, type Group } from './experiment-stats.js';
import type { DailyCounts, MessageMetrics, MetricsVariant, VariantMetrics } from './types.js';

/** What is counted per variant of a message. */
export interface VariantCounts {
  variantId: string;
  impressions: number;
  /** People shown the variant. */
  viewers: number;
  clicks: number;
  clickers: number;
  dismissals: number;
  /** Viewers who reached the goal within the window after their first show of the variant. */
  conversions: number;
  /** By UTC day of the first show, when trends were asked for. */
  daily?: DailyCounts;
}

const ratio = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);

/**
 * A message's `variants` and `sampleRatio`: the catalog's variants in its order (those not seen count zero),
 * then variants seen but not in the catalog by id. Each is compared with the first and with the control group.
 * With `days` (trends asked for), a variant not seen gets that many days of zeros.
 */
export function variantMetrics(
  counts: readonly VariantCounts[],
  control: Group,
  catalog: readonly MetricsVariant[] = [],
  days = 0,
): Required<Pick<MessageMetrics, 'variants' | 'sampleRatio'>> {
  const byId = new Map(counts.map((count) => [count.variantId, count]));
  const named = new Set(catalog.map(({ id }) => id));
  const zero = (variantId: string): VariantCounts => ({
    variantId,
    impressions: 0,
    viewers: 0,
    clicks: 0,
    clickers: 0,
    dismissals: 0,
    conversions: 0,
    ...(days ? { daily: { viewers: Array<number>(days).fill(0), conversions: Array<number>(days).fill(0) } } : {}),
  });
  const rows = [
    ...catalog.map(({ id, weight }) => ({ ...(byId.get(id) ?? zero(id)), weight })),
    ...counts.filter(({ variantId }) => !named.has(variantId)).sort((a, b) => (a.variantId < b.variantId ? -1 : a.variantId > b.variantId ? 1 : 0)),
  ] as Array<VariantCounts & { weight?: number }>;
  const groups: Group[] = rows.map(({ viewers, conversions }) => ({ size: viewers, conversions }));
  const variants = rows.map((row, i): VariantMetrics => ({
    variantId: row.variantId,
    ...(row.weight === undefined ? {} : { weight: row.weight }),
    impressions: row.impressions,
    uniqueViewers: row.viewers,
    clicks: row.clicks,
    clickers: row.clickers,
    clickThroughRate: ratio(row.clickers, row.viewers),
    dismissals: row.dismissals,
    conversions: row.conversions,
    conversionRate: ratio(row.conversions, row.viewers),
    vsFirst: i === 0 ? null : sequentialDifference(groups[i]!, groups[0]!),
    vsControl: sequentialDifference(groups[i]!, control),
    ...(row.daily ? { daily: row.daily } : {}),
  }));
  // The split is checked over the catalog's variants: the weights say what it should be.
  const sampleRatio = sampleRatioMismatch(
    catalog.map((_, i) => rows[i]!.viewers),
    catalog.map(({ weight }) => weight),
  );
  return { variants, sampleRatio };
}
