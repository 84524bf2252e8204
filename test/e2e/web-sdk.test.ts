// @beckon/web end to end: the built beckon.min.js on a page of a single-page store, in real Chromium, against a
// real Beckon server (HTTP on 127.0.0.1, a temp SQLite file): navigation, two tabs, reloads, identify, delivery.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flush, onScreen, open, startSite, type Site } from './fixtures/web/site.js';
import { until } from '../waiting.js';

const CATALOG = {
  messages: [
    { id: 'product-offer', pages: { include: ['/products/**'] }, layout: { type: 'popup' }, content: { title: 'Free shipping on this one' } },
    { id: 'capped', pages: { include: ['/pricing'] }, frequency: { maxShows: 1 }, layout: { type: 'modal' }, content: { title: 'Once only', actions: [{ id: 'ok', label: 'OK', dismiss: true }] } },
    { id: 'about-banner', pages: { include: ['/about'] }, layout: { type: 'banner', position: 'bottom' }, content: { title: 'We are hiring' } },
    { id: 'anon-modal', pages: { include: ['/account'] }, layout: { type: 'modal' }, content: { title: 'Sign up for 10% off', actions: [{ id: 'signup', label: 'Sign up', url: '/signup' }] } },
    { id: 'members', audience: 'identified', pages: { include: ['/account'] }, layout: { type: 'popup' }, content: { title: 'Welcome, member' } },
    { id: 'exit-offer', pages: { include: ['/leaving'] }, trigger: { delay: '2s', exitIntent: true }, layout: { type: 'popup' }, content: { title: 'Before you go' } },
  ],
};

let site: Site;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  site = await startSite(CATALOG);
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await site?.close();
});

async function visitor(): Promise<BrowserContext> {
  const context = await site.visitor();
  contexts.push(context);
  return context;
}

const anonymousIdOf = (page: Page) => page.evaluate(() => (window as unknown as { sdk(): { anonymousId: string } }).sdk().anonymousId);

/** The stored events of one visitor, as `type name/message` lines. */
function storedFor(anonymousIds: string[]): string[] {
  return site
    .stored()
    .filter((e) => anonymousIds.includes(e.anonymous_id))
    .map((e) => [e.type, e.name, e.message_id].filter(Boolean).join(' '));
}


describe('@beckon/web in a single-page store', () => {
  it('follows the app’s own navigation: shows on the product page, closes quietly on leaving, again on going back', async () => {
    const page = await open(await visitor(), site, '/');
    expect(await onScreen(page)).toEqual([]);
    await page.click('a[href="/products/1"]');
    await until(() => onScreen(page), (ids) => ids.includes('product-offer'), 'the product offer');
    await page.click('a[href="/about"]');
    await until(() => onScreen(page), (ids) => ids.join() === 'about-banner', 'the offer closed and the about banner shown');
    await page.goBack();
    await until(() => onScreen(page), (ids) => ids.join() === 'product-offer', 'the offer again after going back');
    await page.waitForFunction(() => document.querySelectorAll('beckon-message').length === 1);
    await flush(page);
    const id = await anonymousIdOf(page);
    const events = await until(() => storedFor([id]), (e) => e.length >= 7, 'the events at the server');
    expect(events.filter((e) => e.startsWith('page'))).toHaveLength(4);
    expect(events.filter((e) => e.startsWith('track')).sort()).toEqual(['track Message Shown about-banner', 'track Message Shown product-offer', 'track Message Shown product-offer']);
    const paths = site.stored().filter((e) => e.anonymous_id === id && e.type === 'page').length;
    expect(paths).toBe(4);
  });

  it('shows a maxShows: 1 message once across two tabs open at once, and not in a third', async () => {
    const context = await visitor();
    // The visitor has been here before: two tabs that both find no id at once each make one (see the tracking README).
    await (await open(context, site, '/')).close();
    const [a, b] = await Promise.all([open(context, site, '/pricing'), open(context, site, '/pricing')]);
    await until(async () => [...(await onScreen(a)), ...(await onScreen(b))], (ids) => ids.includes('capped'), 'the capped message in one tab');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect([...(await onScreen(a)), ...(await onScreen(b))]).toEqual(['capped']);
    const c = await open(context, site, '/pricing');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await onScreen(c)).toEqual([]);
    await Promise.all([flush(a), flush(b), flush(c)]);
    const id = await anonymousIdOf(a);
    expect(await anonymousIdOf(b)).toBe(id);
    const events = await until(() => storedFor([id]), (e) => e.filter((x) => x.startsWith('page')).length === 4, 'four page views');
    expect(events.filter((e) => e.startsWith('track'))).toEqual(['track Message Shown capped']);
  });

  it('two tabs of a brand-new visitor opened at once end up with one anonymous id', async () => {
    const context = await visitor();
    const [a, b] = await Promise.all([open(context, site, '/'), open(context, site, '/')]);
    await until(async () => [await anonymousIdOf(a), await anonymousIdOf(b)], ([x, y]) => x === y, 'one anonymous id in both tabs');
  });

  it('closes in every tab a message dismissed in one', async () => {
    const context = await visitor();
    const [a, b] = await Promise.all([open(context, site, '/about'), open(context, site, '/about')]);
    await until(async () => [...(await onScreen(a)), ...(await onScreen(b))], (ids) => ids.join() === 'about-banner,about-banner', 'the banner in both tabs');
    await a.locator('beckon-message [part="close"]').click();
    await until(() => onScreen(b), (ids) => ids.length === 0, 'the banner closed in the other tab');
    await Promise.all([flush(a), flush(b)]);
    const id = await anonymousIdOf(a);
    const events = await until(() => storedFor([id]), (e) => e.some((x) => x.includes('Dismissed')), 'the dismissal');
    expect(events.filter((e) => e.startsWith('track')).sort()).toEqual(['track Message Dismissed about-banner', 'track Message Shown about-banner', 'track Message Shown about-banner']);
  });

  it('remembers a dismissal across a reload', async () => {
    const context = await visitor();
    const page = await open(context, site, '/about');
    await until(() => onScreen(page), (ids) => ids.includes('about-banner'), 'the banner');
    await page.locator('beckon-message [part="close"]').click();
    expect(await onScreen(page)).toEqual([]);
    await page.reload();
    await page.waitForFunction(() => (window as unknown as { sdk(): { ready: Promise<void> } }).sdk()?.ready.then(() => true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await onScreen(page)).toEqual([]);
    const explained = await page.evaluate(() => (window as unknown as { sdk(): { explain(): Array<{ id: string; reason?: string }> } }).sdk().explain());
    expect(explained.find((row) => row.id === 'about-banner')?.reason).toBe('dismissed');
    await flush(page);
    const id = await anonymousIdOf(page);
    // The events of the first page load went out when it unloaded, or with the next page's first batch.
    const events = await until(() => storedFor([id]), (e) => e.filter((x) => x.startsWith('page')).length === 2 && e.some((x) => x.includes('Dismissed')), 'both page loads’ events');
    expect(events.filter((e) => e.startsWith('track'))).toEqual(['track Message Shown about-banner', 'track Message Dismissed about-banner']);
  });

  it('closes the anonymous modal at once on identify, shows the members message, and links the visitor', async () => {
    const page = await open(await visitor(), site, '/account');
    await until(() => onScreen(page), (ids) => ids.includes('anon-modal'), 'the anonymous modal');
    const id = await anonymousIdOf(page);
    const after = await page.evaluate(() => {
      (window as unknown as { sdk(): { identify(id: string, traits: object): void } }).sdk().identify('user-42', { plan: 'pro' });
      return [...document.querySelectorAll('beckon-message')].filter((el) => (el as unknown as { open: boolean }).open).length;
    });
    expect(after).toBe(0);
    await until(() => onScreen(page), (ids) => ids.join() === 'members', 'the members popup');
    await flush(page);
    const stored = await until(() => site.stored().filter((e) => e.anonymous_id === id), (e) => e.some((x) => x.message_id === 'members'), 'the members show');
    const identify = stored.find((e) => e.type === 'identify')!;
    expect(identify.user_id).toBe('user-42');
    expect(stored.find((e) => e.message_id === 'members')!.user_id).toBe('user-42');
    expect(stored.filter((e) => e.type === 'track').map((e) => e.name)).toEqual(['Message Shown', 'Message Shown']);
  });

  it('shows an exit-intent popup when the real pointer leaves through the top of the window, after its delay', async () => {
    const context = await visitor();
    // On the page's clock: when a timer of 1 to 3 s (the delay; the tracker's are 5 s and more) was started, and
    // when the popup went on screen.
    await context.addInitScript(() => {
      const times = window as unknown as { armedAt?: number; shownAt?: number };
      const start = window.setTimeout;
      window.setTimeout = ((handler: TimerHandler, ms?: number, ...rest: unknown[]) => {
        if (ms !== undefined && ms >= 1000 && ms <= 3000) times.armedAt = performance.now();
        return start(handler, ms, ...rest);
      }) as typeof window.setTimeout;
      document.addEventListener('beckon-shown', () => (times.shownAt = performance.now()));
    });
    const page = await open(context, site, '/leaving');
    // The pointer leaves again and again from the start: the first exit after the delay shows it, none before.
    await until(
      async () => {
        await page.mouse.move(400, 300);
        await page.mouse.move(400, -20);
        return onScreen(page);
      },
      (ids) => ids.includes('exit-offer'),
      'the exit-intent popup',
      10_000,
    );
    const { armedAt, shownAt } = await page.evaluate(() => {
      const times = window as unknown as { armedAt: number; shownAt: number };
      return { armedAt: times.armedAt, shownAt: times.shownAt };
    });
    expect(shownAt - armedAt).toBeGreaterThanOrEqual(2000);
  });

  it('stores every event the pages sent exactly once', async () => {
    // Every batch sent by every test so far, as the browser sent it. Delivery is at least once (see the
    // tracking README): a keepalive request from a closing page, or a request answered late on a busy machine,
    // is sent again by a later page, so an id may arrive twice; the collector keeps one of each. A closing
    // page's keepalive request may also go unseen by the browser driver, so the store may hold more ids.
    expect(site.sentEventIds.length).toBeGreaterThan(20);
    const stored = site.stored().map((e) => e.event_id);
    expect(new Set(stored).size).toBe(stored.length);
    expect(site.sentEventIds.filter((id) => !stored.includes(id))).toEqual([]);
    expect(site.pageErrors).toEqual([]);
  });
});

describe('@beckon/web when things go wrong', () => {
  it.each(['catalog-500', 'catalog-garbage'])('a %s: the page keeps working, one warning, page views still counted', async (setup) => {
    const before = site.warnings.length;
    const page = await open(await visitor(), site, `/?setup=${setup}`);
    await page.click('#host-button');
    await page.click('a[href="/pricing"]');
    expect(await page.evaluate(() => (window as unknown as { hostClicks: number; hostAlive: boolean }).hostClicks)).toBe(1);
    expect(await onScreen(page)).toEqual([]);
    const warnings = site.warnings.slice(before);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('[beckon] no catalog');
    await flush(page);
    const id = await anonymousIdOf(page);
    await until(() => storedFor([id]), (e) => e.length === 2, 'the two page views');
    expect(site.pageErrors).toEqual([]);
  });

  it('a page with no eligible message never requests the renderer; the first with one loads it from beside beckon.min.js', async () => {
    const context = await visitor();
    const requests: string[] = [];
    context.on('request', (request) => requests.push(new URL(request.url()).pathname));
    // open() waits for `ready`: the catalog loaded and the first page view decided (no message is for "/").
    const page = await open(context, site, '/');
    expect(await page.evaluate(() => (window as unknown as { sdk(): { explain(): Array<{ show: boolean }> } }).sdk().explain().some((e) => e.show))).toBe(false);
    // The browser reports requests in the order it makes them: one made after the decision marks the moment.
    await page.evaluate(() => fetch('/after-the-decision'));
    await until(() => requests, (paths) => paths.includes('/after-the-decision'), 'the marker request');
    expect(requests).not.toContain('/beckon-elements.min.js');
    await page.click('a[href="/products/1"]');
    await until(() => onScreen(page), (ids) => ids.includes('product-offer'), 'the product offer');
    expect(requests.filter((path) => path === '/beckon-elements.min.js')).toHaveLength(1);
  });

  it('an inline authored catalog loads the compiler from beside beckon.min.js', async () => {
    expect(site.requested).not.toContain('/beckon-compiler.min.js');
    const page = await open(await visitor(), site, '/?setup=inline');
    await until(() => onScreen(page), (ids) => ids.includes('inline-hello'), 'the inline banner');
    expect(site.requested).toContain('/beckon-compiler.min.js');
  });
});
