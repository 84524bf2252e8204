import { assignVariant } from '@beckon/rules';
import { afterEach, describe, expect, it } from 'vitest';
import { makeEvent, messageEvent, postJson, startTestServer, type TestServer } from './server-harness.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const content = { title: 'Hello', body: 'Text.' };
const CATALOG = {
  messages: [
    { id: 'coupon', pages: { include: ['/pricing'] }, frequency: { maxShows: 2 }, layout: { type: 'modal' }, content },
    { id: 'welcome-back', audience: 'identified', pages: { include: ['/account'] }, layout: { type: 'banner', position: 'top' }, content },
    { id: 'second-page', pages: { include: ['/docs/**'] }, trigger: { minPageViews: 2 }, layout: { type: 'popup' }, content },
    { id: 'cart-nudge', trigger: { event: 'Added To Cart', delay: '5s' }, layout: { type: 'popup', position: 'bottom-right' }, content },
    { id: 'app-tip', screens: { include: ['Checkout*'] }, frequency: { maxShows: 1 }, layout: { type: 'modal' }, content },
    { id: 'control', pages: { include: ['/held'] }, holdout: 0.999, layout: { type: 'inline', slot: 'hero' }, content },
  ],
};

type Decision = { show: Array<{ id: string; layout: unknown; content: unknown; priority: number; trigger?: unknown }>; skipped: Array<{ id: string; reason: string; detail: string }>; identified: boolean };

async function decide(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Decision> {
  const response = await postJson(`${server!.url}/v1/decide`, body, headers);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body as unknown as Decision;
}
const shown = (d: Decision) => d.show.map((m) => m.id);
const reason = (d: Decision, id: string) => d.skipped.find((s) => s.id === id)?.reason;

async function send(...events: ReturnType<typeof makeEvent>[]) {
  const response = await postJson(`${server!.url}/v1/batch`, { batch: events });
  expect(response.status).toBe(200);
}

describe('POST /v1/decide', () => {
  it('returns the messages to show with their compiled content, and a reason for every other one', async () => {
    server = await startTestServer({ catalog: CATALOG });
    const decision = await decide({ anonymousId: 'v1', url: 'https://shop.example/pricing?plan=pro' });
    expect(decision.show).toEqual([{ id: 'coupon', layout: { type: 'modal' }, content, priority: 0 }]);
    expect(decision.identified).toBe(false);
    expect(Object.fromEntries(decision.skipped.map((s) => [s.id, s.reason]))).toEqual({
      'welcome-back': 'audience',
      'second-page': 'page',
      'cart-nudge': 'trigger',
      'app-tip': 'screen',
      control: 'page',
    });
    expect(decision.skipped.every((s) => s.detail.length > 0)).toBe(true);
  });

  it('takes screens for apps, trigger events with their pending delay, and counts page views in the session', async () => {
    server = await startTestServer({ catalog: CATALOG });
    expect(shown(await decide({ anonymousId: 'app', screen: 'CheckoutPayment' }))).toEqual(['app-tip']);
    const onEvent = await decide({ anonymousId: 'v2', url: '/products/1', event: 'Added To Cart' });
    expect(onEvent.show).toEqual([expect.objectContaining({ id: 'cart-nudge', trigger: { delay: 5000 } })]);
    expect(reason(await decide({ anonymousId: 'v3', url: '/docs/a' }), 'second-page')).toBe('trigger');
    expect(shown(await decide({ anonymousId: 'v3', url: '/docs/b' }))).toEqual(['second-page']);
    expect(reason(await decide({ anonymousId: 'v4', url: '/held' }), 'control')).toBe('holdout');
  });

  it('keeps caps from the Message Shown and Dismissed events it collects', async () => {
    server = await startTestServer({ catalog: CATALOG });
    await send(messageEvent('Message Shown', 'coupon', { anonymousId: 'v5' }));
    expect(shown(await decide({ anonymousId: 'v5', url: '/pricing' }))).toEqual(['coupon']);
    await send(messageEvent('Message Shown', 'coupon', { anonymousId: 'v5' }));
    const again = messageEvent('Message Shown', 'coupon', { anonymousId: 'v7' });
    // A replayed event is stored once, so it counts once.
    await send(again);
    await send(again);
    expect(shown(await decide({ anonymousId: 'v7', url: '/pricing' }))).toEqual(['coupon']);
    const capped = await decide({ anonymousId: 'v5', url: '/pricing' });
    expect(capped.skipped.find((s) => s.id === 'coupon')).toMatchObject({ reason: 'frequency:maxShows', detail: 'shown 2 of 2 times (maxShows)' });
    await send(messageEvent('Message Dismissed', 'coupon', { anonymousId: 'v6' }));
    expect(reason(await decide({ anonymousId: 'v6', url: '/pricing' }), 'coupon')).toBe('dismissed');
  });

  it('holds caps across devices once the visitor identifies on each', async () => {
    server = await startTestServer({ catalog: { messages: [{ ...CATALOG.messages[0], audience: 'everyone' }, CATALOG.messages[1]] } });
    // Seen twice on the phone, anonymously.
    await send(messageEvent('Message Shown', 'coupon', { anonymousId: 'phone' }), messageEvent('Message Shown', 'coupon', { anonymousId: 'phone' }));
    expect(reason(await decide({ anonymousId: 'phone', url: '/pricing' }), 'coupon')).toBe('frequency:maxShows');
    // The laptop knows nothing of the phone, before or after it identifies.
    expect(shown(await decide({ anonymousId: 'laptop', url: '/pricing' }))).toEqual(['coupon']);
    await send(makeEvent({ type: 'identify', anonymousId: 'laptop', userId: 'ada' }));
    const identified = await decide({ anonymousId: 'laptop', url: '/pricing' });
    expect(identified).toMatchObject({ identified: true, show: [expect.objectContaining({ id: 'coupon' })] });
    // The phone identifies as the same person: its shows join ada's ledger, and the cap holds on the laptop.
    await send(makeEvent({ type: 'identify', anonymousId: 'phone', userId: 'ada' }));
    expect(reason(await decide({ anonymousId: 'laptop', url: '/pricing' }), 'coupon')).toBe('frequency:maxShows');
    expect(reason(await decide({ anonymousId: 'phone', url: '/pricing' }), 'coupon')).toBe('frequency:maxShows');
    expect(shown(await decide({ anonymousId: 'phone', url: '/account' }))).toEqual(['welcome-back']);
  });

  it('counts the anonymous history for a userId sent before any identify event', async () => {
    server = await startTestServer({ catalog: { messages: [{ ...CATALOG.messages[0], audience: 'everyone' }] } });
    await send(messageEvent('Message Shown', 'coupon', { anonymousId: 'tablet' }), messageEvent('Message Shown', 'coupon', { anonymousId: 'tablet' }));
    const decision = await decide({ anonymousId: 'tablet', userId: 'bob', url: '/pricing' });
    expect(decision.identified).toBe(true);
    expect(reason(decision, 'coupon')).toBe('frequency:maxShows');
    // Shows collected under bob's userId on another device count for the same person.
    await send(messageEvent('Message Shown', 'coupon', { anonymousId: 'desk', userId: 'carol' }), messageEvent('Message Shown', 'coupon', { anonymousId: 'desk2', userId: 'carol' }));
    expect(reason(await decide({ anonymousId: 'desk3', userId: 'carol', url: '/pricing' }), 'coupon')).toBe('frequency:maxShows');
    await send(makeEvent({ type: 'identify', anonymousId: 'desk4', userId: 'carol' }));
    expect(reason(await decide({ anonymousId: 'desk4', url: '/pricing' }), 'coupon')).toBe('frequency:maxShows');
  });

  it('returns each visitor\'s variant with its layout and content, as the browser assigns it, before and after identify', async () => {
    const variants = [{ id: 'plain', weight: 1 }, { id: 'bold', weight: 1, layout: { type: 'banner', position: 'top' }, content: { title: 'BIG' } }];
    server = await startTestServer({ catalog: { messages: [{ id: 'exp', audience: 'everyone', holdout: 0.1, variants, layout: { type: 'modal' }, content }] } });
    const got = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const anonymousId = `e2e-${i}`;
      const expected = assignVariant('exp', anonymousId, variants)!;
      for (const userId of [undefined, `user-${i}`]) {
        const decision = await decide({ anonymousId, userId, url: '/anywhere' });
        const [shown] = decision.show as Array<{ id: string; variant?: string; layout: unknown; content: unknown }>;
        if (!shown) {
          expect(decision.skipped).toEqual([expect.objectContaining({ id: 'exp', reason: 'holdout', variant: expected.id })]);
          continue;
        }
        got.add(shown.variant!);
        expect(shown).toMatchObject({ id: 'exp', variant: expected.id, layout: expected.layout ?? { type: 'modal' }, content: expected.content ?? content });
      }
    }
    expect([...got].sort()).toEqual(['bold', 'plain']);
  });

  it('answers schema violations with 400 listing each path, and requires the write key when one is set', async () => {
    server = await startTestServer({ catalog: CATALOG, writeKey: 'w' });
    const bad = await postJson(`${server.url}/v1/decide`, { anonymousId: '', screen: 7, extra: true }, { 'x-beckon-write-key': 'w' });
    expect(bad.status).toBe(400);
    expect((bad.body.issues as Array<{ path: string }>).map((i) => i.path)).toEqual(expect.arrayContaining(['anonymousId', 'screen']));
    const neither = await postJson(`${server.url}/v1/decide`, { anonymousId: 'a' }, { 'x-beckon-write-key': 'w' });
    expect(neither.body.issues).toEqual([{ path: 'url', message: 'send url (web pages) or screen (app screens)' }]);
    expect((await postJson(`${server.url}/v1/decide`, { anonymousId: 'a', url: '/' })).status).toBe(401);
    expect(shown(await decide({ anonymousId: 'a', url: '/pricing' }, { 'x-beckon-write-key': 'w' }))).toEqual(['coupon']);
  });
});
