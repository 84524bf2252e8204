import { html, type SafeHtml } from './html.js';

/** One line of a trend chart: a label and a value per day. */
export interface TrendLine {
  label: string;
  values: readonly number[];
  /** Which of the chart's colours (0, 1, 2…, cycling) and whether the line is dashed. */
  colour: number;
  dashed?: boolean;
}

const WIDTH = 480;
const HEIGHT = 150;
const LEFT = 40;
const BOTTOM = 20;
const TOP = 8;

/** The x of day `i` of `days` across the plot area. */
const xOf = (i: number, days: number, left: number, width: number): number => (days <= 1 ? left + width / 2 : left + (i / (days - 1)) * width);

function points(values: readonly number[], max: number, left: number, width: number, top: number, height: number): string {
  return values.map((value, i) => `${xOf(i, values.length, left, width).toFixed(1)},${(top + height - (max === 0 ? 0 : (value / max) * height)).toFixed(1)}`).join(' ');
}

/**
 * Daily numbers as an inline SVG line chart (no script): one polyline per line, a scale from 0 to the largest
 * value, the first and last day under the axis, and a legend. Labelled for screen readers with each line's total.
 */
export function trendSvg(lines: readonly TrendLine[], firstDay: string, lastDay: string, title: string): SafeHtml {
  const max = Math.max(0, ...lines.flatMap((line) => line.values));
  const plotWidth = WIDTH - LEFT - 8;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const summary = lines.map((line) => `${line.label} ${line.values.reduce((a, b) => a + b, 0)}`).join(', ');
  const legendHeight = 18 * lines.length;
  const polylines = lines.map(
    (line) =>
      html`<polyline class="line colour-${line.colour % 4}${line.dashed ? ' dashed' : ''}" points="${points(line.values, max, LEFT, plotWidth, TOP, plotHeight)}"></polyline>`,
  );
  const legend = lines.map((line, i) => {
    const y = HEIGHT + 14 + i * 18;
    return html`<g><line class="line colour-${line.colour % 4}${line.dashed ? ' dashed' : ''}" x1="${LEFT}" y1="${y - 4}" x2="${LEFT + 24}" y2="${y - 4}"></line><text x="${LEFT + 30}" y="${y}" class="label">${line.label}</text></g>`;
  });
  const height = HEIGHT + 6 + legendHeight;
  return html`<svg class="trend" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${`${title} from ${firstDay} to ${lastDay}: ${summary}`}" xmlns="http://www.w3.org/2000/svg"><title>${title}</title>
    <line class="axis" x1="${LEFT}" y1="${TOP + plotHeight}" x2="${LEFT + plotWidth}" y2="${TOP + plotHeight}"></line>
    <line class="axis" x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${TOP + plotHeight}"></line>
    <text x="${LEFT - 6}" y="${TOP + 10}" class="tick" text-anchor="end">${max.toLocaleString('en-US')}</text>
    <text x="${LEFT - 6}" y="${TOP + plotHeight}" class="tick" text-anchor="end">0</text>
    <text x="${LEFT}" y="${HEIGHT - 4}" class="tick">${firstDay}</text>
    <text x="${LEFT + plotWidth}" y="${HEIGHT - 4}" class="tick" text-anchor="end">${lastDay}</text>
    ${polylines}${legend}</svg>`;
}

/** A small line of daily values for the overview: no axes, scaled to its own largest value. */
export function sparklineSvg(values: readonly number[], label: string): SafeHtml {
  const max = Math.max(0, ...values);
  return html`<svg class="spark" viewBox="0 0 100 24" width="100" height="24" role="img" aria-label="${label}" xmlns="http://www.w3.org/2000/svg"><polyline class="line colour-0" points="${points(values, max, 2, 96, 2, 20)}"></polyline></svg>`;
}
