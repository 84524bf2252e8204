import type { MessageMetrics, VariantMetrics } from '@beckon/tracking';
import { describe, expect, it } from 'vitest';
import { escapeHtml, html } from './html.js';
import { renderDashboard } from './page.js';

const metrics = (messageId: string, over: Partial<MessageMetrics> = {}): MessageMetrics => ({
  messageId,
  impressions: 12,
  uniqueViewers: 10,
  clicks: 5,
  clickers: 4,
  clickThroughRate: 0.4,
  dismissals: 3,
  conversions: 2,
  conversionRate: 0.2,
  control: { size: 5, conversions: 0, conversionRate: 0 },
  lift: { value: 0.2, low: -0.05, high: 0.45 },
  ...over,
});

const DAY = 86_400_000;
const range = { from: Date.parse('2026-01-01T00:00:00Z'), to: Date.parse('2026-01-31T00:00:00Z') };

describe('html', () => {
  it('escapes every interpolated value and passes its own markup through', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p>${inner}${['<', html`<br>`]}${undefined}${false}</p>`.value).toBe('<p><b>&lt;i&gt;</b>&lt;<br></p>');
  });
});

describe('renderDashboard', () => {
  it('draws a funnel per message with widths relative to the viewers, the rates and the lift interval', () => {
    const page = renderDashboard({ metrics: [metrics('coupon')], ...range, titles: new Map([['coupon', '10% off']]) });
    expect(page).toContain('<h2 id="message-0">10% off <code>coupon</code></h2>');
    const widths = [...page.matchAll(/<rect x="110" y="\d+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toEqual([250, 100, 50]);
    expect(page).toContain('aria-label="Funnel of coupon: Viewers 10, Clickers 4, Converters 2"');
    expect(page).toContain('<td>40.0%</td>');
    expect(page).toContain('Lift: <strong>+20.0 pts</strong> (95% interval −5.0 pts to +45.0 pts)');
    expect(page).toContain('From 2026-01-01 to 2026-01-30 (UTC)');
  });

  it('offers a range form that, submitted as it is, still covers the whole range shown (today included)', () => {
    // The default range ends now, in the middle of a day: the exclusive end date must be the next day.
    const page = renderDashboard({ metrics: [], from: Date.parse('2026-01-01T00:00:00Z'), to: Date.parse('2026-01-31T15:30:00Z'), titles: new Map() });
    expect(page).toContain('From 2026-01-01 to 2026-01-31 (UTC)');
    expect(page).toContain('name="from" value="2026-01-01"');
    expect(page).toContain('name="to" value="2026-02-01"');
    // A range that ends at midnight keeps that day as its exclusive end.
    expect(renderDashboard({ metrics: [], ...range, titles: new Map() })).toContain('name="to" value="2026-01-31"');
  });

  it('says why there is no lift, and when there are no messages', () => {
    const page = renderDashboard({ metrics: [metrics('a', { lift: null, control: { size: 0, conversions: 0, conversionRate: 0 } })], ...range, titles: new Map() });
    expect(page).toContain('Lift: not available (no control group)');
    expect(renderDashboard({ metrics: [], ...range, titles: new Map() })).toContain('No message events in this range.');
  });

  it('never turns an untrusted message id or title into markup, and loads nothing external', () => {
    const hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
    const page = renderDashboard({ metrics: [metrics(hostile)], from: 0, to: DAY, titles: new Map([[hostile, `</title>${hostile}`]]) });
    expect(page).not.toContain('<script');
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // Links within the page (the overview's) are all there is.
    expect(page).not.toMatch(/\s(src|href)="(?!#message-\d+")|@import|url\(/);
    expect(page).toContain('href="#message-0"');
  });

  const variant = (variantId: string, over: Partial<VariantMetrics> = {}): VariantMetrics => ({
    variantId,
    weight: 1,
    impressions: 6,
    uniqueViewers: 5,
    clicks: 2,
    clickers: 2,
    clickThroughRate: 0.4,
    dismissals: 1,
    conversions: 1,
    conversionRate: 0.2,
    vsFirst: null,
    vsControl: { value: 0.2, low: -0.3, high: 0.7 },
    ...over,
  });

  it('puts variants side by side with the control group, their intervals, and the split check', () => {
    const experiment = metrics('cart', {
      variants: [variant('shipping'), variant('coupon', { weight: 3, conversions: 2, conversionRate: 0.4, vsFirst: { value: 0.2, low: -0.1, high: 0.5 } })],
      sampleRatio: { chiSquare: 0.4, degreesOfFreedom: 1, pValue: 0.527, mismatch: false },
    });
    const page = renderDashboard({ metrics: [experiment], ...range, titles: new Map() });
    const table = /<table class="variants">[\s\S]*?<\/table>/.exec(page)![0];
    const cells = (label: string) => [...new RegExp(`<th scope="row">${label}</th>(.*?)</tr>`, 's').exec(table)![1]!.matchAll(/<td>(.*?)<\/td>/gs)].map((m) => m[1]);
    expect([...table.matchAll(/<th scope="col">(.*?)<\/th>/g)].map((m) => m[1])).toEqual(['shipping', 'coupon', 'Control']);
    expect(cells('Weight')).toEqual(['1', '3', '']);
    expect(cells('Viewers')).toEqual(['5', '5', '5']);
    expect(cells('Conversions')).toEqual(['1 (20.0%)', '2 (40.0%)', '0 (0.0%)']);
    expect(cells('vs first variant')).toEqual(['–', '+20.0 pts<br><small>−10.0 pts to +50.0 pts</small>', '']);
    expect(page).toContain("Split check: the viewers' split fits the weights (p = 0.527).");
    expect(page).not.toContain('Sample ratio mismatch');

    const skewed = renderDashboard({ metrics: [{ ...experiment, sampleRatio: { chiSquare: 25, degreesOfFreedom: 1, pValue: 5.7e-7, mismatch: true } }], ...range, titles: new Map() });
    expect(skewed).toContain('<p class="srm" role="alert"><strong>Sample ratio mismatch:</strong>');
    expect(skewed).toContain('<span class="flag" title="Sample ratio mismatch">⚠ split</span>');
  });

  it('draws daily viewers and conversions per variant as lines, scaled to the largest day', () => {
    const daily = (viewers: number[], conversions: number[]) => ({ daily: { viewers, conversions } });
    const page = renderDashboard({
      metrics: [metrics('cart', { ...daily([3, 7], [1, 2]), variants: [variant('a', daily([1, 4], [0, 1])), variant('b', daily([2, 3], [1, 1]))] })],
      from: range.from,
      to: range.from + 2 * DAY,
      titles: new Map(),
    });
    const svg = /<svg class="trend"[\s\S]*?<\/svg>/.exec(page)![0];
    expect(svg).toContain('aria-label="Trend of cart from 2026-01-01 to 2026-01-02: a: viewers 5, a: conversions 1, b: viewers 5, b: conversions 2"');
    const lines = [...svg.matchAll(/<polyline class="line colour-(\d)( dashed)?" points="([^"]*)"/g)].map((m) => [m[1], !!m[2], m[3]]);
    // The plot is 122 high from y = 8 (0 at y = 130), its largest value 4 (a's viewers on day 2) at the top.
    expect(lines).toEqual([
      ['0', false, '40.0,99.5 472.0,8.0'],
      ['0', true, '40.0,130.0 472.0,99.5'],
      ['1', false, '40.0,69.0 472.0,38.5'],
      ['1', true, '40.0,99.5 472.0,99.5'],
    ]);
    expect(svg).not.toContain('<script');
  });

  it('starts with an overview of every message that links to its section, usable with fifty messages', () => {
    const many = Array.from({ length: 50 }, (_, i) => metrics(`message-${String(i).padStart(2, '0')}`, { daily: { viewers: [i, 1], conversions: [0, 0] } }));
    const page = renderDashboard({ metrics: many, ...range, titles: new Map([['message-07', 'Seventh']]) });
    const table = /<table class="overview">[\s\S]*?<\/table>/.exec(page)![0];
    const rows = [...table.matchAll(/<tr>\s*<td class="name"><a href="#message-(\d+)">(.*?)<\/a>/g)].map((m) => [Number(m[1]), m[2]]);
    expect(rows).toHaveLength(50);
    expect(rows.every(([index], i) => index === i)).toBe(true);
    expect(rows[7]).toEqual([7, 'Seventh']);
    expect(page).toContain('<caption class="empty">All messages (50)</caption>');
    for (let i = 0; i < 50; i++) expect(page).toContain(`<h2 id="message-${i}">`);
    expect(page.match(/<svg class="spark"/g)).toHaveLength(50);
  });
});
