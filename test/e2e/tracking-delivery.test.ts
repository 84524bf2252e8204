// @beckon/tracking in real Chromium against a real HTTP collector on 127.0.0.1 that drops repeats by
// event id: delivery killed mid-batch, a reload, real offline/online, an unload flush, the sendBeacon
// fallback, and the id cookie on an https site (answered by Playwright, nothing leaves the machine).
import { build } from 'esbuild';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BeckonEvent, Tracker } from '@beckon/tracking';
import { launchChromium } from '../browser.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** What the collector does with the next request. */
type Fault = 'drop-before-read' | 'store-then-drop' | 'error-500' | 'hang';

/** The collector's view: every event id with how often it arrived, and each request's shape. */
const collector = {
  times: new Map<string, number>(),
  requests: [] as Array<{ contentType: string; writeKey: string | null; fault: Fault | 'ok'; events: number }>,
  /** While not empty, every request gets these faults in turn (a dead collector); else they come one at a time from `faults`. */
  dead: [] as Fault[],
  faults: [] as Fault[],
  reset() {
    this.times.clear();
    this.requests = [];
    this.dead = [];
    this.faults = [];
  },
  unique(): string[] {
    return [...this.times.keys()].sort();
  },
  duplicates(): number {
    return [...this.times.values()].reduce((sum, n) => sum + n - 1, 0);
  },
};

let script = '';
let server: Server;
let origin = '';
let browser: Browser;

const PAGE = `<!doctype html><html lang="en"><head><title>Shop</title></head><body><h1>Shop</h1>
<script type="module">
  import { createTracker } from '/tracker.js';
  const params = new URLSearchParams(location.search);
  window.tracker = createTracker({
    endpoint: params.get('endpoint') ?? location.origin,
    writeKey: 'wk_e2e',
    storage: params.get('storage') ?? undefined,
    cookieDomain: params.get('cookieDomain') ?? undefined,
    // ?beacon: keepalive fetch fails, as in browsers without it, so unloading falls back to sendBeacon.
    fetch: params.has('beacon') ? (url, init) => (init.keepalive ? Promise.reject(new TypeError('no keepalive')) : fetch(url, init)) : undefined,
    flushAt: 5,
    flushInterval: Number(params.get('flushInterval') ?? 200),
    timeout: 1500,
    retry: { minTimeout: 100, maxTimeout: 800 },
  });
  window.ready = true;
</script></body></html>`;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

beforeAll(async () => {
  const bundle = await build({
    stdin: { contents: "export { createTracker } from '@beckon/tracking';", resolveDir: root, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['source'],
    write: false,
    logLevel: 'silent',
  });
  script = bundle.outputFiles[0]!.text;
  server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/tracker.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    } else if (url.pathname === '/' || url.pathname === '/other') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    } else if (url.pathname === '/blank') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>No tracker here</title>');
    } else if (url.pathname === '/v1/batch' && req.method === 'POST') {
      const { dead } = collector;
      const fault: Fault | 'ok' = dead.length ? dead[collector.requests.length % dead.length]! : (collector.faults.shift() ?? 'ok');
      const request = { contentType: String(req.headers['content-type']), writeKey: (req.headers['x-beckon-write-key'] as string) ?? url.searchParams.get('writeKey'), fault, events: 0 };
      collector.requests.push(request);
      if (fault === 'drop-before-read') return void req.socket.destroy();
      if (fault === 'hang') return; // never answers; the tracker's timeout must give up on it
      const { batch } = JSON.parse(await readBody(req)) as { batch: BeckonEvent[] };
      request.events = batch.length;
      if (fault === 'error-500') return void res.writeHead(500).end();
      // Stored, then the connection dies before the answer: the tracker cannot know, and sends again.
      for (const event of batch) collector.times.set(event.messageId, (collector.times.get(event.messageId) ?? 0) + 1);
      if (fault === 'store-then-drop') return void req.socket.destroy();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

beforeEach(() => collector.reset());

type TrackerWindow = { tracker: Tracker; ready?: boolean };

async function openShop(context: BrowserContext, url = '/'): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(url.startsWith('https:') ? url : origin + url);
  await page.waitForFunction(() => (window as unknown as TrackerWindow).ready === true);
  return page;
}

/** Records `count` events in the page and returns their ids. */
function trackMany(page: Page, count: number, name = 'Item Viewed'): Promise<string[]> {
  return page.evaluate(
    ({ count, name }) => Array.from({ length: count }, (_, i) => (window as unknown as TrackerWindow).tracker.track(name, { i })!.messageId),
    { count, name },
  );
}

async function until(condition: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const storedQueueKeys = (page: Page) => page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('beckon:queue:')));

describe('@beckon/tracking delivery to a real collector', () => {
  it('delivery killed mid-batch, then a reload: every event arrives, exactly once after dropping repeats', async () => {
    const context = await browser.newContext();
    const page = await openShop(context);
    collector.dead = ['store-then-drop', 'drop-before-read'];
    const ids = [...(await trackMany(page, 12)), ...(await page.evaluate(() => [(window as unknown as TrackerWindow).tracker.page()!.messageId]))];
    // Both kinds of death: a batch stored before its connection dropped, and one dropped before it was read.
    await until(() => collector.requests.some((r) => r.fault === 'store-then-drop' && r.events > 0) && collector.requests.some((r) => r.fault === 'drop-before-read'), 'killed batches');
    // From now on nothing is stored, so what is missing can only come from the next page, which takes it over.
    collector.dead = ['error-500'];
    const failedFrom = collector.requests.length;
    await until(() => collector.requests.length > failedFrom, 'a request that stores nothing');
    expect(collector.unique().length).toBeLessThan(ids.length);

    await page.reload(); // pagehide: the keepalive flush fails too
    collector.dead = [];
    await page.waitForFunction(() => (window as unknown as TrackerWindow).ready === true);
    await until(() => ids.every((id) => collector.times.has(id)), 'every event after the reload');

    expect(collector.unique()).toEqual([...ids].sort());
    expect(collector.duplicates()).toBeGreaterThan(0); // the repeats really happened, and were dropped
    await page.waitForFunction(() => (window as unknown as TrackerWindow).tracker.stats().queued === 0);
    expect(await storedQueueKeys(page)).toEqual([]);
    expect(new Set(collector.requests.map((r) => r.writeKey))).toEqual(new Set(['wk_e2e']));
    expect(new Set(collector.requests.map((r) => r.contentType))).toEqual(new Set(['application/json']));
    await context.close();
  });

  it('a collector that fails with 500 and hangs for a while loses nothing', async () => {
    const context = await browser.newContext();
    const page = await openShop(context);
    collector.faults = ['error-500', 'hang', 'error-500', 'drop-before-read'];
    const ids = await trackMany(page, 10);
    await until(() => ids.every((id) => collector.times.has(id)), 'every event');
    expect(collector.unique()).toEqual([...ids].sort());
    expect(collector.requests.filter((r) => r.fault !== 'ok').map((r) => r.fault)).toEqual(['error-500', 'hang', 'error-500', 'drop-before-read']);
    const stats = await page.evaluate(() => (window as unknown as TrackerWindow).tracker.stats());
    expect(stats).toMatchObject({ accepted: 10, sent: 10, queued: 0, dropped: { rejected: 0, overflow: 0, invalid: 0, tooLarge: 0 } });
    // Chromium itself resends a request whose reused connection was reset, so the tracker may see one failure fewer.
    expect(stats.retries).toBeGreaterThanOrEqual(3);
    await context.close();
  });

  it('offline pauses delivery; back online, everything is sent', async () => {
    const context = await browser.newContext();
    const page = await openShop(context);
    await context.setOffline(true);
    const ids = await trackMany(page, 7);
    // A flush settles every request it starts (answered or failed): offline, it must start none.
    await page.evaluate(() => (window as unknown as TrackerWindow).tracker.flush());
    expect(collector.requests).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as TrackerWindow).tracker.stats())).toMatchObject({ queued: 7, retries: 0 });
    await context.setOffline(false);
    await until(() => ids.every((id) => collector.times.has(id)), 'every event after going online');
    expect(collector.duplicates()).toBe(0);
    await context.close();
  });

  it('leaving the page sends what waits, even when the next page has no tracker', async () => {
    const context = await browser.newContext();
    const page = await openShop(context, '/?flushInterval=60000');
    const ids = await trackMany(page, 3, 'Checkout Started');
    expect(collector.requests).toEqual([]);
    await page.goto(`${origin}/blank`);
    await until(() => ids.every((id) => collector.times.has(id)), 'the events sent on pagehide');
    expect(collector.unique()).toEqual([...ids].sort());
    await context.close();
  });

  it('a page closed with events unsent leaves them to the next page of the site', async () => {
    const context = await browser.newContext();
    // A failure that stores nothing (and that Chromium does not retry itself): what arrives later, the second page sent.
    collector.dead = ['error-500'];
    const first = await openShop(context, '/?flushInterval=60000');
    const ids = await trackMany(first, 4, 'Cart Updated');
    await first.close({ runBeforeUnload: true });
    await until(() => collector.requests.length > 0, 'the closing page’s attempt to send');
    expect(collector.unique()).toEqual([]);
    collector.dead = [];
    const second = await openShop(context, '/other');
    await until(() => ids.every((id) => collector.times.has(id)), 'the first page’s events, sent by the second');
    expect(collector.unique()).toEqual([...ids].sort());
    await second.waitForFunction(() => (window as unknown as TrackerWindow).tracker.stats().queued === 0);
    expect(await storedQueueKeys(second)).toEqual([]);
    await context.close();
  });
});

describe('@beckon/tracking on the unload fallback and on an https site', () => {
  it('where keepalive fetch fails, the unload goes by sendBeacon as text/plain with the write key in the URL', async () => {
    const context = await browser.newContext();
    const page = await openShop(context, '/?beacon&flushInterval=60000');
    const ids = await trackMany(page, 2, 'Checkout Started');
    await page.goto(`${origin}/blank`);
    await until(() => ids.every((id) => collector.times.has(id)), 'the events sent by sendBeacon');
    // (The page hides, then unloads: a beacon's fate is unknown, so each may carry the events again.)
    expect(new Set(collector.requests.map(({ contentType, writeKey }) => `${contentType} ${writeKey}`))).toEqual(
      new Set(['text/plain;charset=UTF-8 wk_e2e']),
    );
    await context.close();
  });

  /** A context where https://*.example.test serves the shop page (Playwright answers; nothing leaves the machine). */
  async function httpsContext(): Promise<BrowserContext> {
    const context = await browser.newContext();
    await context.route(/^https:\/\/[a-z]+\.example\.test\//, (route) => {
      const { pathname } = new URL(route.request().url());
      if (pathname === '/tracker.js') return route.fulfill({ contentType: 'text/javascript', body: script });
      if (pathname === '/') return route.fulfill({ contentType: 'text/html', body: PAGE });
      return route.fulfill({ status: 200, contentType: 'application/json', body: '{"ok":true}' });
    });
    return context;
  }
  const anonymousId = (page: Page) => page.evaluate(() => (window as unknown as TrackerWindow).tracker.anonymousId);

  it('on https the id cookie is Secure; cookieDomain shares it with the other subdomains', async () => {
    const context = await httpsContext();
    const shop = await openShop(context, 'https://shop.example.test/?cookieDomain=example.test');
    const id = await anonymousId(shop);
    const [cookie] = (await context.cookies('https://shop.example.test/')).filter((c) => c.name === 'beckon_anonymous_id');
    expect(cookie).toMatchObject({ value: id, domain: '.example.test', path: '/', secure: true, sameSite: 'Lax' });
    expect(cookie!.expires * 1000 - Date.now()).toBeGreaterThan(364 * 86_400_000);
    // Another subdomain has its own localStorage: the id it finds came through the shared cookie.
    const www = await openShop(context, 'https://www.example.test/?cookieDomain=example.test');
    expect(await anonymousId(www)).toBe(id);
    await context.close();
  });

  it('on http the cookie is not Secure, and a cookieDomain the page is not on leaves the id in localStorage alone', async () => {
    const context = await httpsContext();
    const plain = await openShop(context);
    const [cookie] = (await context.cookies(origin)).filter((c) => c.name === 'beckon_anonymous_id');
    expect(cookie).toMatchObject({ value: await anonymousId(plain), secure: false, domain: '127.0.0.1' });
    const elsewhere = await openShop(context, 'https://shop.example.test/?cookieDomain=other.test');
    const id = await anonymousId(elsewhere);
    expect((await context.cookies('https://shop.example.test/')).map((c) => c.name)).toEqual([]);
    expect(await elsewhere.evaluate(() => localStorage.getItem('beckon_anonymous_id'))).toBe(id);
    await context.close();
  });
});
