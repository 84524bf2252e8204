import { computeMetrics, type BeckonEvent } from '@beckon/tracking';
import { afterEach, describe, expect, it } from 'vitest';
import { postJson, startTestServer, type TestServer } from './server-harness.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const HOUR = 3_600_000;
const T0 = Date.parse('2026-02-01T00:00:00Z');
const content = { title: 'Hi' };
const CATALOG = {
  messages: [
    { id: 'coupon', goal: { event: 'Order Completed', window: '6h' }, layout: { type: 'modal' }, content: { title: '10% <off>' } },
    { id: 'newsletter', goal: { event: 'identify', window: '1d' }, layout: { type: 'banner' }, content },
    { id: 'tour', layout: { type: 'popup' }, content },
  ],
};

/** Visitors who see, click, dismiss or are held out of messages, identify, and order, over two days. */
function traffic(count: number): BeckonEvent[] {
  let seed = 99;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const pick = <T,>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  return Array.from({ length: count }, (_, i): BeckonEvent => {
    const anonymousId = `anon-${Math.floor(random() * 40)}`;
    const base = { messageId: `m-${i}`, anonymousId, timestamp: new Date(T0 + Math.floor(random() * 48) * HOUR).toISOString() };
    const roll = random();
    if (roll < 0.1) return { ...base, type: 'identify', userId: `user-${Math.floor(random() * 15)}` };
    if (roll < 0.25) return { ...base, type: 'track', event: 'Order Completed' };
    if (roll < 0.3) return { ...base, type: 'page' };
    const event = pick(['Message Shown', 'Message Shown', 'Message Clicked', 'Message Dismissed', 'Message Held Out']);
    return { ...base, type: 'track', event, properties: { message_id: pick(['coupon', 'newsletter', 'tour', 'gone-from-catalog']) } };
  });
}

describe('GET /v1/metrics', () => {
  it('gives exactly what computeMetrics gives on the same events, with the goals of the catalog', async () => {
    server = await startTestServer({ catalog: CATALOG });
    const events = traffic(1500);
    for (let i = 0; i < events.length; i += 100) {
      const response = await postJson(`${server.url}/v1/batch`, { batch: events.slice(i, i + 100) });
      expect(response.status).toBe(200);
    }
    // A replay of an early batch stores nothing new.
    expect((await postJson(`${server.url}/v1/batch`, { batch: events.slice(0, 100) })).body).toEqual({ accepted: 0, duplicates: 100 });
    const goals = { coupon: { event: 'Order Completed', windowMs: 6 * HOUR }, newsletter: { event: 'identify', windowMs: 24 * HOUR } };
    for (const [from, to] of [
      [T0, T0 + 48 * HOUR],
      [T0 + 10 * HOUR, T0 + 20 * HOUR],
    ] as const) {
      const expected = computeMetrics(events, { from, to, goals });
      expect(expected.length).toBe(4);
      expect(expected.some((m) => m.conversions > 0 && m.control.conversions > 0 && m.lift !== null)).toBe(true);
      const byEpoch = await fetch(`${server.url}/v1/metrics?from=${from}&to=${to}`);
      expect(byEpoch.headers.get('cache-control')).toBe('no-store');
      expect(await byEpoch.json()).toEqual({ from, to, messages: expected });
      const byIso = await fetch(`${server.url}/v1/metrics?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`);
      expect((await byIso.json()).messages).toEqual(expected);
    }
  });

  it('gives per-variant numbers and daily trends equal to computeMetrics with the catalog\'s variants', async () => {
    const variants = [{ id: 'plain', weight: 2 }, { id: 'bold', weight: 1, content: { title: 'BIG' } }];
    server = await startTestServer({ catalog: { messages: [{ ...CATALOG.messages[0], variants }, ...CATALOG.messages.slice(1)] } });
    // Each visitor keeps one variant (as assignment does), and a few also bring one the catalog does not name.
    const events = traffic(1500).map((event, i) => {
      if (event.type !== 'track' || !event.properties || event.event === 'Message Held Out') return event;
      const visitor = Number(event.anonymousId.slice(5));
      const variant = i % 97 === 0 ? 'retired' : visitor % 3 === 0 ? 'bold' : 'plain';
      return { ...event, properties: { ...event.properties, variant_id: variant } };
    });
    for (let i = 0; i < events.length; i += 100) expect((await postJson(`${server.url}/v1/batch`, { batch: events.slice(i, i + 100) })).status).toBe(200);
    const goals = { coupon: { event: 'Order Completed', windowMs: 6 * HOUR }, newsletter: { event: 'identify', windowMs: 24 * HOUR } };
    const catalogVariants = { coupon: variants.map(({ id, weight }) => ({ id, weight })) };
    const [from, to] = [T0, T0 + 48 * HOUR];
    for (const daily of [false, true]) {
      const response = await fetch(`${server.url}/v1/metrics?from=${from}&to=${to}${daily ? '&daily=true' : ''}`);
      const body = (await response.json()) as { messages: Array<Record<string, unknown>> };
      const expected = computeMetrics(events, { from, to, goals, variants: catalogVariants, daily });
      expect(body.messages).toEqual(JSON.parse(JSON.stringify(expected)));
      const coupon = expected.find((m) => m.messageId === 'coupon')!;
      expect(coupon.variants!.map((v) => v.variantId)).toEqual(['plain', 'bold', 'retired']);
      expect(coupon.sampleRatio).not.toBeNull();
      expect(coupon.variants!.every((v) => v.uniqueViewers > 0)).toBe(true);
    }
    // The dashboard puts the server's per-variant numbers side by side, and draws each variant's daily trend.
    const page = await (await fetch(`${server.url}/dashboard?from=${from}&to=${to}`)).text();
    const coupon = computeMetrics(events, { from, to, goals, variants: catalogVariants, daily: true }).find((m) => m.messageId === 'coupon')!;
    const table = /<table class="variants">[\s\S]*?<\/table>/.exec(page)![0];
    expect([...table.matchAll(/<th scope="col">(.*?)<\/th>/g)].map((m) => m[1])).toEqual(['plain', 'bold', 'retired', 'Control']);
    const viewers = /<th scope="row">Viewers<\/th>(.*?)<\/tr>/.exec(table)![1]!;
    expect([...viewers.matchAll(/<td>(\d*)<\/td>/g)].map((m) => Number(m[1]))).toEqual([...coupon.variants!.map((v) => v.uniqueViewers), coupon.control.size]);
    const trend = /<svg class="trend"[^>]*aria-label="Trend of coupon[^"]*"/.exec(page)![0];
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    for (const v of coupon.variants!) {
      expect(trend).toContain(`${v.variantId}: viewers ${sum(v.daily!.viewers)}, ${v.variantId}: conversions ${sum(v.daily!.conversions)}`);
    }
    expect(sum(coupon.variants![0]!.daily!.viewers)).toBeGreaterThan(0);
  });

  it('reads from and to as ISO dates, and names a parameter that is not a time', async () => {
    server = await startTestServer({ catalog: CATALOG });
    const body = await (await fetch(`${server.url}/v1/metrics?from=2026-02-01&to=2026-02-03`)).json();
    expect(body).toEqual({ from: T0, to: T0 + 48 * HOUR, messages: [] });
    const bad = await fetch(`${server.url}/v1/metrics?from=last-week`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toBe('from "last-week" is not a time: use epoch milliseconds or an ISO date such as 2026-01-31');
  });

  it('requires the read key when one is set: header, Bearer or Basic password', async () => {
    server = await startTestServer({ catalog: CATALOG, readKey: 'r-secret' });
    const url = `${server.url}/v1/metrics`;
    const missing = await fetch(url);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBeNull();
    expect((await fetch(url, { headers: { 'x-beckon-read-key': 'nope' } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await fetch(url, { headers: { 'x-beckon-read-key': 'r-secret' } })).status).toBe(200);
    expect((await fetch(url, { headers: { authorization: 'Bearer r-secret' } })).status).toBe(200);
    expect((await fetch(url, { headers: { authorization: `Basic ${Buffer.from('me:r-secret').toString('base64')}` } })).status).toBe(200);
  });
});

describe('GET /dashboard', () => {
  it('draws a funnel per message with rates and the control group, leaving out ids no catalog could hold, with nothing external', async () => {
    server = await startTestServer({ catalog: CATALOG });
    const hostile = '<img src=x onerror=alert(1)>';
    const events = traffic(600).map((e) => (e.type === 'track' && e.properties?.['message_id'] === 'gone-from-catalog' ? { ...e, properties: { message_id: hostile } } : e));
    await postJson(`${server.url}/v1/batch`, { batch: events.slice(0, 300) });
    await postJson(`${server.url}/v1/batch`, { batch: events.slice(300) });
    const response = await fetch(`${server.url}/dashboard?from=2026-02-01&to=2026-02-03`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = await response.text();
    // The hostile id is not a message id a catalog could hold: it is stored but never listed.
    expect(page.match(/<svg class="funnel"/g)).toHaveLength(3);
    expect(page).toContain('10% &lt;off&gt; <code>coupon</code>');
    expect(page).not.toContain('onerror');
    expect(page).not.toContain('<img');
    expect(page).not.toMatch(/<script|<link|\s(src|href)="(?!#message-\d+")/);
    const metrics = computeMetrics(events, { from: T0, to: T0 + 48 * HOUR, goals: { coupon: { event: 'Order Completed', windowMs: 6 * HOUR }, newsletter: { event: 'identify', windowMs: 24 * HOUR } } });
    const coupon = metrics.find((m) => m.messageId === 'coupon')!;
    expect(page).toContain(`aria-label="Funnel of coupon: Viewers ${coupon.uniqueViewers}, Clickers ${coupon.clickers}, Converters ${coupon.conversions}"`);
  });

  it('asks a browser for the read key with a Basic challenge', async () => {
    server = await startTestServer({ catalog: CATALOG, readKey: 'r' });
    const challenge = await fetch(`${server.url}/dashboard`);
    expect(challenge.status).toBe(401);
    expect(challenge.headers.get('www-authenticate')).toBe('Basic realm="Beckon", charset="UTF-8"');
    const page = await fetch(`${server.url}/dashboard`, { headers: { authorization: `Basic ${Buffer.from('anyone:r').toString('base64')}` } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('No message events in this range.');
  });
});
