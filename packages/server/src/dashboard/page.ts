import type { Difference, MessageMetrics, VariantMetrics } from '@beckon/tracking';
import { funnelSvg } from './funnel.js';
import { html, SafeHtml } from './html.js';
import { sparklineSvg, trendSvg, type TrendLine } from './trend.js';

/** What the dashboard shows: the metrics of a range and the catalog's message titles. */
export interface DashboardData {
  metrics: readonly MessageMetrics[];
  /** Range start and end (exclusive), epoch ms. */
  from: number;
  to: number;
  /** Message titles from the catalog, by message id (messages no longer there show their id only). */
  titles: ReadonlyMap<string, string>;
}

/** The Content-Security-Policy of the page: nothing but its own inline styles, no scripts. */
export const DASHBOARD_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const rate = (value: number): string => `${(value * 100).toFixed(1)}%`;
const signed = (value: number): string => `${value >= 0 ? '+' : '−'}${(Math.abs(value) * 100).toFixed(1)} pts`;
const DAY_MS = 86_400_000;
const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
/** The first midnight (UTC) at or after `ms`: an exclusive end date that keeps a part-day in range. */
const endDay = (ms: number): string => day(Math.ceil(ms / DAY_MS) * DAY_MS);

// A constant of this file, not input: it goes into the page as markup.
const STYLE = `
  :root { color-scheme: light dark; --ink: #1d2433; --muted: #5b6477; --bar0: #3559c7; --bar1: #4f7be8; --bar2: #1f9d6b; --card: #fff; --bg: #f4f6fa; --line: #dfe3eb; }
  @media (prefers-color-scheme: dark) { :root { --ink: #e8ebf2; --muted: #a3abbd; --card: #1b2130; --bg: #121722; --line: #2d3547; } }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
  main { max-width: 980px; margin: 0 auto; padding: 24px 16px 48px; }
  h1 { font-size: 1.5rem; margin: 0 0 4px; }
  .range { color: var(--muted); margin: 0 0 16px; }
  form { display: flex; gap: 12px; align-items: end; flex-wrap: wrap; margin-bottom: 24px; }
  label { display: grid; gap: 2px; font-size: .85rem; color: var(--muted); }
  input, button { font: inherit; padding: 4px 8px; }
  section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin-bottom: 16px; }
  h2 { font-size: 1.1rem; margin: 0; } h2 code { font-size: .95rem; color: var(--muted); font-weight: normal; }
  .grid { display: flex; flex-wrap: wrap; gap: 24px; align-items: start; margin-top: 12px; }
  svg.funnel { max-width: 100%; height: auto; overflow: visible; }
  svg .label, svg .value { fill: var(--ink); font-size: 13px; }
  svg .step-0 rect { fill: var(--bar0); } svg .step-1 rect { fill: var(--bar1); } svg .step-2 rect { fill: var(--bar2); }
  table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
  th, td { text-align: left; padding: 2px 12px 2px 0; } td { text-align: right; } th { font-weight: normal; color: var(--muted); }
  .lift { margin: 12px 0 0; }
  .empty { color: var(--muted); }
  .overview { width: 100%; margin-bottom: 24px; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
  .overview th, .overview td { padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: middle; }
  .overview td.name { text-align: left; max-width: 280px; overflow-wrap: anywhere; }
  .overview a { color: inherit; }
  .variants { margin-top: 16px; } .variants th[scope="col"] { text-align: right; color: var(--ink); font-weight: 600; }
  .srm { margin: 12px 0 0; padding: 8px 12px; border-radius: 6px; background: #fde8e8; color: #8a1c1c; }
  @media (prefers-color-scheme: dark) { .srm { background: #4a1d1d; color: #ffd7d7; } }
  .flag { color: #b42318; font-weight: 600; }
  svg .line { fill: none; stroke-width: 2; } svg .dashed { stroke-dasharray: 5 4; }
  svg .colour-0 { stroke: var(--bar0); } svg .colour-1 { stroke: #d9730d; } svg .colour-2 { stroke: var(--bar2); } svg .colour-3 { stroke: #9b51e0; }
  svg .axis { stroke: var(--line); } svg .tick { fill: var(--muted); font-size: 11px; }
  svg.trend, svg.spark { max-width: 100%; height: auto; overflow: visible; }
  h3 { font-size: .95rem; margin: 16px 0 4px; }
`;

const interval = (d: Difference | null): SafeHtml | string =>
  d ? html`${signed(d.value)}<br><small>${signed(d.low)} to ${signed(d.high)}</small>` : '–';

/** The variants side by side, with the control group as the last column. */
function variantsTable(m: MessageMetrics, variants: readonly VariantMetrics[]): SafeHtml {
  const row = (label: string, cells: Array<SafeHtml | string | number>, control: SafeHtml | string | number = '') =>
    html`<tr><th scope="row">${label}</th>${cells.map((cell) => html`<td>${cell}</td>`)}<td>${control}</td></tr>`;
  const check = m.sampleRatio;
  return html`<table class="variants">
      <caption class="empty">Variants, with differences in conversion rate (95% always-valid intervals)</caption>
      <tr><td></td>${variants.map((v) => html`<th scope="col">${v.variantId}</th>`)}<th scope="col">Control</th></tr>
      ${row('Weight', variants.map((v) => (v.weight === undefined ? 'not in catalog' : v.weight)))}
      ${row('Viewers', variants.map((v) => v.uniqueViewers), m.control.size)}
      ${row('Click-through', variants.map((v) => rate(v.clickThroughRate)))}
      ${row('Dismissals', variants.map((v) => v.dismissals))}
      ${row('Conversions', variants.map((v) => html`${v.conversions} (${rate(v.conversionRate)})`), html`${m.control.conversions} (${rate(m.control.conversionRate)})`)}
      ${row('vs first variant', variants.map((v) => interval(v.vsFirst)))}
      ${row('vs control', variants.map((v) => interval(v.vsControl)))}
    </table>
    ${
      check?.mismatch
        ? html`<p class="srm" role="alert"><strong>Sample ratio mismatch:</strong> the viewers' split is far from the weights (chi-square ${check.chiSquare.toFixed(1)}, p = ${check.pValue.toExponential(1)}). Something in assignment or tracking is broken: do not trust this experiment's numbers until it is found.</p>`
        : check
          ? html`<p class="empty">Split check: the viewers' split fits the weights (p = ${check.pValue.toFixed(3)}).</p>`
          : ''
    }`;
}

/** Daily viewers and conversions, per variant when there are variants, else for the message. */
function trends(m: MessageMetrics, firstDay: string, lastDay: string): SafeHtml | string {
  const series = m.variants?.length ? m.variants.filter((v) => v.daily).map((v) => ({ label: `${v.variantId}: `, daily: v.daily! })) : m.daily ? [{ label: '', daily: m.daily }] : [];
  if (!series.length) return '';
  const lines: TrendLine[] = series.flatMap(({ label, daily }, i) => [
    { label: `${label}viewers`, values: daily.viewers, colour: i },
    { label: `${label}conversions`, values: daily.conversions, colour: i, dashed: true },
  ]);
  return html`<h3>Daily viewers and conversions</h3>${trendSvg(lines, firstDay, lastDay, `Trend of ${m.messageId}`)}`;
}

function messageSection(m: MessageMetrics, title: string | undefined, index: number, days: [string, string]): SafeHtml {
  const funnel = funnelSvg(
    [
      { label: 'Viewers', count: m.uniqueViewers },
      { label: 'Clickers', count: m.clickers },
      { label: 'Converters', count: m.conversions },
    ],
    `Funnel of ${m.messageId}`,
  );
  const lift = m.lift
    ? html`Lift: <strong>${signed(m.lift.value)}</strong> (95% interval ${signed(m.lift.low)} to ${signed(m.lift.high)})`
    : html`Lift: not available (${m.uniqueViewers === 0 ? 'no viewers' : 'no control group'})`;
  return html`<section aria-labelledby="message-${index}">
    <h2 id="message-${index}">${title ?? m.messageId} ${title === undefined ? '' : html`<code>${m.messageId}</code>`}</h2>
    <div class="grid">
      ${funnel}
      <table class="totals">
        <tr><th scope="row">Impressions</th><td>${m.impressions}</td></tr>
        <tr><th scope="row">Unique viewers</th><td>${m.uniqueViewers}</td></tr>
        <tr><th scope="row">Clicks / clickers</th><td>${m.clicks} / ${m.clickers}</td></tr>
        <tr><th scope="row">Click-through rate</th><td>${rate(m.clickThroughRate)}</td></tr>
        <tr><th scope="row">Dismissals</th><td>${m.dismissals}</td></tr>
        <tr><th scope="row">Conversions</th><td>${m.conversions}</td></tr>
        <tr><th scope="row">Conversion rate</th><td>${rate(m.conversionRate)}</td></tr>
        <tr><th scope="row">Control group</th><td>${m.control.size} people, ${m.control.conversions} converted (${rate(m.control.conversionRate)})</td></tr>
      </table>
    </div>
    <p class="lift">${lift}</p>
    ${m.variants?.length ? variantsTable(m, m.variants) : ''}
    ${trends(m, ...days)}
  </section>`;
}

/** One row per message, linking to its section: the table that keeps fifty messages readable. */
function overview(metrics: readonly MessageMetrics[], titles: ReadonlyMap<string, string>): SafeHtml {
  const rows = metrics.map((m, i) => {
    const title = titles.get(m.messageId);
    const mismatch = m.sampleRatio?.mismatch;
    return html`<tr>
      <td class="name"><a href="#message-${i}">${title ?? m.messageId}</a>${title === undefined ? '' : html` <code>${m.messageId}</code>`}</td>
      <td>${m.uniqueViewers}</td><td>${rate(m.clickThroughRate)}</td><td>${rate(m.conversionRate)}</td>
      <td>${m.control.size ? rate(m.control.conversionRate) : '–'}</td>
      <td>${m.variants?.length ?? '–'}${mismatch ? html` <span class="flag" title="Sample ratio mismatch">⚠ split</span>` : ''}</td>
      <td>${m.daily ? sparklineSvg(m.daily.viewers, `Daily viewers of ${m.messageId}`) : ''}</td>
    </tr>`;
  });
  return html`<table class="overview">
    <caption class="empty">All messages (${metrics.length})</caption>
    <tr><td class="name"></td><th scope="col">Viewers</th><th scope="col">Click-through</th><th scope="col">Conversion</th><th scope="col">Control</th><th scope="col">Variants</th><th scope="col">Daily viewers</th></tr>
    ${rows}
  </table>`;
}

/** Renders the dashboard: one self-contained HTML page (inline CSS and SVG, no scripts, no external assets). */
export function renderDashboard(data: DashboardData): string {
  const lastDay = day(data.to - 1);
  const sections = data.metrics.map((m, i) => messageSection(m, data.titles.get(m.messageId), i, [day(data.from), lastDay]));
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Beckon dashboard</title>
<style>${new SafeHtml(STYLE)}</style>
</head>
<body>
<main>
  <h1>Beckon messages</h1>
  <p class="range">From ${day(data.from)} to ${lastDay} (UTC)</p>
  <form method="get" action="/dashboard">
    <label>From <input type="date" name="from" value="${day(data.from)}"></label>
    <label>To (exclusive) <input type="date" name="to" value="${endDay(data.to)}"></label>
    <button type="submit">Show</button>
  </form>
  ${sections.length > 0 ? html`${overview(data.metrics, data.titles)}${sections}` : html`<p class="empty">No message events in this range.</p>`}
</main>
</body>
</html>
`.value;
}
