import { html, type SafeHtml } from './html.js';

/** One step of a funnel: a label and how many people reached it. */
export interface FunnelStep {
  label: string;
  count: number;
}

const WIDTH = 480;
const LABEL_WIDTH = 110;
const BAR_HEIGHT = 28;
const GAP = 10;

const percent = (part: number, whole: number): string => (whole === 0 ? '0%' : `${((part / whole) * 100).toFixed(1)}%`);

/**
 * Draws a funnel as an inline SVG: one bar per step, its width relative to the first step, with
 * the count and the share of the first step. Labelled for screen readers.
 */
export function funnelSvg(steps: readonly FunnelStep[], title: string): SafeHtml {
  const first = steps[0]?.count ?? 0;
  const barSpace = WIDTH - LABEL_WIDTH - 120;
  const height = steps.length * (BAR_HEIGHT + GAP) - GAP;
  const summary = steps.map((s) => `${s.label} ${s.count}`).join(', ');
  const bars = steps.map((step, i) => {
    const y = i * (BAR_HEIGHT + GAP);
    const width = first === 0 ? 0 : Math.max(step.count > 0 ? 2 : 0, (step.count / first) * barSpace);
    const textY = y + BAR_HEIGHT / 2 + 5;
    return html`<g class="step step-${i}">
      <text x="0" y="${textY}" class="label">${step.label}</text>
      <rect x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" rx="3"></rect>
      <text x="${(LABEL_WIDTH + width + 8).toFixed(1)}" y="${textY}" class="value">${step.count.toLocaleString('en-US')} (${percent(step.count, first)})</text>
    </g>`;
  });
  return html`<svg class="funnel" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${`${title}: ${summary}`}" xmlns="http://www.w3.org/2000/svg"><title>${title}</title>${bars}</svg>`;
}
