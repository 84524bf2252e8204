// The fault matrix's table: every case records what was expected and what was observed, and the table
// is printed once the suite has run, so a reader sees each fault and how the system took it.

/** One row of the table. */
export interface FaultRow {
  /** The fault or hostile input, and where it ran (engine, browser). */
  fault: string;
  expected: string;
  observed: string;
}

const rows: FaultRow[] = [];

/** Adds a row; the test asserts the behaviour itself, the row reports it. */
export function observe(fault: string, expected: string, observed: string): void {
  rows.push({ fault, expected, observed });
}

/** The table as text: one line per case, columns padded, long cells cut at `width`. */
export function formatTable(width = 90): string {
  const cut = (text: string) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);
  const cells = [['case', 'expected', 'observed'], ...rows.map((r) => [r.fault, r.expected, r.observed].map(cut))];
  const widths = [0, 1, 2].map((i) => Math.max(...cells.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ').trimEnd();
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.slice(1).map(line)].join('\n');
}

/** How many rows were recorded. */
export const recorded = (): number => rows.length;
