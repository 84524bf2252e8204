import type { MessageMetrics } from '@beckon/tracking';
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
    expect(page).not.toMatch(/\s(src|href)="|@import|url\(/);
  });
});
