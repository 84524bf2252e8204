import type { MessageMetrics } from '@beckon/tracking';
import { funnelSvg } from './funnel.js';
import { html, SafeHtml } from './html.js';

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
`;

function messageSection(m: MessageMetrics, title: string | undefined, index: number): SafeHtml {
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
      <table>
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
  </section>`;
}

/** Renders the dashboard: one self-contained HTML page (inline CSS and SVG, no scripts, no external assets). */
export function renderDashboard(data: DashboardData): string {
  const sections = data.metrics.map((m, i) => messageSection(m, data.titles.get(m.messageId), i));
  const lastDay = day(data.to - 1);
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
  ${sections.length > 0 ? sections : html`<p class="empty">No message events in this range.</p>`}
</main>
</body>
</html>
`.value;
}
