// Consent end to end: the built beckon.min.js started by a <script data-consent="pending"> tag, in real Chromium,
// against a real Beckon server (HTTP on 127.0.0.1, a temp SQLite file). The network and the cookie jar are the
// browser's own, watched from outside the page.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flush, onScreen, open, startSite, type Site } from './fixtures/web/site.js';
import { until } from '../waiting.js';

const CATALOG = {
  messages: [
    { id: 'welcome', pages: { include: ['/'] }, layout: { type: 'banner' }, content: { title: 'Welcome to the store' } },
    { id: 'pricing-popup', pages: { include: ['/pricing'] }, layout: { type: 'popup' }, content: { title: 'Ask us for a quote' } },
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

/** A fresh visitor, and the bodies of every POST it makes to the server's /v1/batch. */
async function visitor(): Promise<{ context: BrowserContext; batches: string[] }> {
  const context = await site.visitor();
  contexts.push(context);
  const batches: string[] = [];
  context.on('request', (request) => {
    if (request.url().startsWith(`${site.server.url}/v1/batch`)) batches.push(request.postData() ?? '');
  });
  return { context, batches };
}

/** Beckon's cookies, and its keys in both storage areas of the page's origin. */
async function beckonKeys(context: BrowserContext, page: Page): Promise<string[]> {
  const cookies = (await context.cookies()).filter((cookie) => cookie.name.startsWith('beckon')).map((cookie) => `cookie ${cookie.name}`);
  const keys = await page.evaluate(() => [
    ...Object.keys(localStorage).map((key) => `local ${key}`),
    ...Object.keys(sessionStorage).map((key) => `session ${key}`),
  ]);
  return [...cookies, ...keys.filter((key) => key.includes('beckon'))].sort();
}

interface Sdk {
  anonymousId: string;
  consent(state?: string): string;
}

/** Calls `consent(state)` of the page's Beckon (no state: reads it). */
const consent = (page: Page, state?: string) => page.evaluate((state) => (window as unknown as { sdk(): Sdk }).sdk().consent(state), state);
const anonymousIdOf = (page: Page) => page.evaluate(() => (window as unknown as { sdk(): Sdk }).sdk().anonymousId);

/** What the server stored for one anonymous id, in the order it stored it, as `type name/message` lines. */
const storedFor = (anonymousId: string) =>
  site
    .stored()
    .filter((event) => event.anonymous_id === anonymousId)
    .map((event) => [event.type, event.name, event.message_id].filter(Boolean).join(' '));

describe('consent with the <script> tag build', () => {
  it('data-consent="pending": the banner shows, nothing is stored or sent; granted: the waiting events are stored once each, in order, without ?email=', async () => {
    const { context, batches } = await visitor();
    const page = await open(context, site, '/?setup=consent-pending&email=ann%40example.test&ref=newsletter');
    await until(() => onScreen(page), (ids) => ids.includes('welcome'), 'the welcome banner on screen');
    expect(await consent(page)).toBe('pending');
    await page.dispatchEvent('a[href="/pricing"]', 'click'); // (the banner may cover the link)
    await until(() => onScreen(page), (ids) => ids.includes('pricing-popup'), 'the pricing popup on screen');
    // An explicit flush point: with consent it would send now.
    await flush(page);
    expect(batches).toEqual([]);
    expect(await beckonKeys(context, page)).toEqual([]);

    expect(await consent(page, 'granted')).toBe('granted');
    await flush(page);
    const id = await anonymousIdOf(page);
    const stored = await until(() => storedFor(id), (events) => events.length >= 4, 'the waiting events at the server');
    expect(stored).toEqual(['page', 'track Message Shown welcome', 'page', 'track Message Shown pricing-popup']);
    expect(new Set(site.sentEventIds).size).toBe(site.sentEventIds.length);
    expect(batches.join()).not.toMatch(/ann%40|ann@|email=/);
    expect(batches.join()).toContain('ref=newsletter');
    expect(await beckonKeys(context, page)).toEqual(expect.arrayContaining(['cookie beckon_anonymous_id', 'local beckon_anonymous_id', 'local beckon_ledger']));
    expect((await context.cookies()).find((cookie) => cookie.name === 'beckon_anonymous_id')?.value).toBe(id);
  });

  it('granted → denied: Beckon’s cookie and keys are removed and nothing more is sent; messages still show', async () => {
    const { context, batches } = await visitor();
    const page = await open(context, site, '/');
    await until(() => onScreen(page), (ids) => ids.includes('welcome'), 'the welcome banner on screen');
    await flush(page);
    // The same watch sees what a granted page sends.
    await until(() => batches.length, (count) => count > 0, 'a batch while granted');
    const before = batches.length;
    expect(await beckonKeys(context, page)).toEqual(expect.arrayContaining(['cookie beckon_anonymous_id', 'local beckon_ledger']));

    expect(await consent(page, 'denied')).toBe('denied');
    expect(await beckonKeys(context, page)).toEqual([]);
    await page.dispatchEvent('a[href="/pricing"]', 'click'); // (the banner may cover the link)
    await until(() => onScreen(page), (ids) => ids.includes('pricing-popup'), 'the pricing popup on screen');
    await flush(page);
    expect(batches).toHaveLength(before);
    expect(await beckonKeys(context, page)).toEqual([]);
    expect(site.pageErrors).toEqual([]);
  });
});
