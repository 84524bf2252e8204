// `pnpm size`: bundles each browser entry point (minified as shipped), gzips it, prints a table and fails
// above a budget or when a forbidden identifier appears. Budgets live in size-budgets.json.
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { browserBuild, shrink } from './bundle.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** Measures every entry of size-budgets.json; returns rows with their problems. */
export async function measureSizes() {
  const { entries } = JSON.parse(readFileSync(path.join(root, 'size-budgets.json'), 'utf8'));
  const rows = [];
  for (const entry of entries) {
    // A `file` entry measures a built artifact as shipped (after `pnpm build`); it is noted, not failed, when not built yet.
    if (entry.file) {
      const file = path.join(root, entry.file);
      if (!existsSync(file)) {
        rows.push({ name: `${entry.name} (not built: run pnpm build)`, min: 0, gzip: 0, budget: entry.gzipBudget, problems: [] });
        continue;
      }
      rows.push(measure(entry, readFileSync(file, 'utf8')));
      continue;
    }
    const { code, esbuilt } = await bundle(entry.code, entry.external);
    const row = { ...measure(entry, code), esbuildGzip: gzipSize(esbuilt) };
    // An entry measured `over` another bundle counts only what it adds to it: both are bundled alike, and the
    // difference is held to the budget.
    if (entry.over) {
      const base = await bundle(entry.over, entry.external);
      const added = { min: row.min - Buffer.byteLength(base.code), gzip: row.gzip - gzipSize(base.code), esbuildGzip: row.esbuildGzip - gzipSize(base.esbuilt) };
      rows.push({ ...measure(entry, code, added), ...added });
      continue;
    }
    rows.push(row);
  }
  return rows;
}

/**
 * Bundles `code` as we ship beckon.min.js: esbuild, then terser's pass (scripts/bundle.mjs). What esbuild alone
 * gives is kept beside it, for bundlers that minify with esbuild only. `external` packages stay out (React).
 */
function bundle(code, external = []) {
  const key = JSON.stringify([code, external]);
  if (!bundled.has(key)) bundled.set(key, bundleNow(code, external));
  return bundled.get(key);
}

/** Bundles of this run, by code and externals: an entry's `over` is often another entry's code. */
const bundled = new Map();

async function bundleNow(code, external) {
  const result = await build({
    ...browserBuild,
    stdin: { contents: code, resolveDir: root, sourcefile: 'entry.ts', loader: 'ts' },
    format: 'esm',
    write: false,
    conditions: ['source'],
    logLevel: 'silent',
    treeShaking: true,
    external,
  });
  const esbuilt = result.outputFiles[0]?.text ?? '';
  return { code: (await shrink(esbuilt)).code, esbuilt };
}

function gzipSize(text) {
  return gzipSync(text, { level: 9 }).length;
}

/** Sizes one entry's code (or what it adds, `added`) against its budget and forbidden identifiers. */
function measure(entry, text, added) {
  const min = added?.min ?? Buffer.byteLength(text);
  const gzip = added?.gzip ?? gzipSize(text);
  const problems = [];
  if (gzip > entry.gzipBudget) problems.push(`${gzip} B gzip is over its budget of ${entry.gzipBudget} B`);
  for (const identifier of entry.forbid ?? []) {
    if (text.includes(identifier)) problems.push(`contains "${identifier}", which must not be in this entry`);
  }
  return { name: entry.name, min, gzip, budget: entry.gzipBudget, problems };
}

/** Formats the rows as a plain-text table. */
export function sizeTable(rows) {
  const header = ['entry', 'min bytes', 'gzip bytes', 'budget', '', 'gzip, esbuild only'];
  const lines = rows.map((r) => [r.name, String(r.min), String(r.gzip), String(r.budget), r.problems.length ? 'FAIL' : 'ok', r.esbuildGzip ? String(r.esbuildGzip) : '-']);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(fmt)].join('\n');
}

/**
 * What a page pays, side by side: `beckon.min.js` alone (every page), with the renderer (a page where a message
 * shows), and Customer.io's web engine as its npm package ships it (`customerio-gist-web`, `dist/gist.min.js`).
 */
export function comparisonTable(rows) {
  const { entries } = JSON.parse(readFileSync(path.join(root, 'size-budgets.json'), 'utf8'));
  const gzipOf = (role) => rows[entries.findIndex((entry) => entry.compare === role)]?.gzip ?? 0;
  const core = gzipOf('core');
  const renderer = gzipOf('renderer');
  if (!core || !renderer) return 'Side by side: run pnpm build first (beckon.min.js and beckon-elements.min.js are measured as built).';
  const gist = createRequire(import.meta.url).resolve('customerio-gist-web');
  const { version } = JSON.parse(readFileSync(path.join(path.dirname(gist), '..', 'package.json'), 'utf8'));
  const gistGzip = gzipSize(readFileSync(gist, 'utf8'));
  const lines = [
    ['beckon.min.js (core: every page)', core],
    ['beckon.min.js + beckon-elements.min.js (a page where a message shows)', core + renderer],
    [`Customer.io gist.min.js (customerio-gist-web ${version})`, gistGzip],
  ];
  const width = Math.max(...lines.map(([name]) => name.length));
  return ['What a page loads, gzip bytes:', ...lines.map(([name, gzip]) => `  ${name.padEnd(width)}  ${String(gzip).padStart(6)}  ${(gzip / gistGzip).toFixed(2)}× gist`)].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await measureSizes();
  console.log(sizeTable(rows));
  console.log(`\n${comparisonTable(rows)}`);
  const failed = rows.filter((r) => r.problems.length > 0);
  for (const row of failed) for (const p of row.problems) console.error(`${row.name}: ${p}`);
  process.exit(failed.length > 0 ? 1 : 0);
}
