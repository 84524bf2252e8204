const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/**
 * Turns a duration (`"500ms"`, `"30s"`, `"10m"`, `"12h"`, `"7d"` or a number of milliseconds)
 * into milliseconds. Returns `undefined` for anything else, including negative numbers.
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = DURATION.exec(value.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

const UNITS_DESCENDING = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000]] as const;

/**
 * Milliseconds in the largest unit that fits, to one decimal: `90000` → `"1.5m"`. For explanations; never
 * negative (a time from a clock that ran ahead counts as now).
 */
export function formatDuration(ms: number): string {
  for (const [unit, size] of UNITS_DESCENDING) if (ms >= size) return `${Math.round((ms / size) * 10) / 10}${unit}`;
  return `${Math.round(Math.max(0, ms))}ms`;
}
