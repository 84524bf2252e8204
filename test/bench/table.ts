// Prints tinybench results as a table of medians and percentiles, in units people read.
import type { Bench } from 'tinybench';

/** Formats a duration given in milliseconds with a unit that keeps 3 significant digits. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  if (ms < 0.001) return `${(ms * 1e6).toFixed(0)} ns`;
  if (ms < 1) return `${(ms * 1e3).toPrecision(3)} µs`;
  if (ms < 1000) return `${ms.toPrecision(3)} ms`;
  return `${(ms / 1000).toPrecision(3)} s`;
}

/** Prints one row per task: median, p99, mean and ops/s. */
export function printBench(bench: Bench, title = bench.name ?? 'benchmark'): void {
  const rows = bench.tasks.map((task) => {
    const r = task.result;
    const latency = r && 'latency' in r ? r.latency : undefined;
    const throughput = r && 'throughput' in r ? r.throughput : undefined;
    return {
      task: task.name,
      median: formatDuration(latency?.p50 ?? NaN),
      p99: formatDuration(latency?.p99 ?? NaN),
      mean: formatDuration(latency?.mean ?? NaN),
      'ops/s': throughput ? Math.round(throughput.mean).toLocaleString('en-US') : '-',
      samples: String(latency?.samplesCount ?? '-'),
    };
  });
  printTable(title, rows);
}

/** Prints rows of plain strings as an aligned table under a title. */
export function printTable(title: string, rows: Array<Record<string, string>>): void {
  console.log(`\n${title}`);
  if (rows.length === 0) return;
  const header = Object.keys(rows[0]!);
  const cells = rows.map((row) => header.map((h) => row[h] ?? ''));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const fmt = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells) console.log(fmt(c));
}
