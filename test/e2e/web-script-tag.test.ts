// What the web README promises for the <script> tag build, each on the built beckon.min.js in real Chromium
// against a real Beckon server: the data-* attributes, "only defines window.beckon" without them, compilerUrl,
// limits.sessionTimeout and the debug log of every decision.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, storedEvents, type TestServer } from './server-harness.js';
import { builtScripts } from './fixtures/web/site.js';
import { launchChromium } from '../browser.js';

const WRITE_KEY = 'wk_tag';

const CATALOG = {
  messages: [
    { id: 'hello', pages: { include: ['/hello'] }, layout: { type: 'banner' }, content: { title: 'Hello' } },
    { id: 'second-view', pages: { include: ['/views/**'] }, trigger: { minPageViews: 2 }, layout: { type: 'banner' }, content: { title: 'Second view' } },
  ],
};
const AUTHORED = { messages: [{ id: 'authored', layout: { type: 'banner' }, content: { title: 'From an authored catalog' } }] };

let server: TestServer;
let site: Server;
let origin: string;
let browser: Browser;
/** Paths the browser asked the site for, in order. */
const requested: string[] = [];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  const built = builtScripts();
  server = await startTestServer({ catalog: CATALOG, writeKey: WRITE_KEY });
  // And the compiler where a site moved it (compilerUrl).
  const scripts: Record<string, string> = { ...built, '/lib/compiler.js': built['/beckon-compiler.min.js']! };
  site = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requested.push(url.pathname);
    const script = scripts[url.pathname];
    if (script) return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    if (url.pathname === '/authored.json') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(AUTHORED));
    if (url.pathname === '/start.js') {
      const options = { endpoint: server.url, writeKey: WRITE_KEY, ...(JSON.parse(url.searchParams.get('options') ?? '{}') as object) };
      return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(`window.app = beckon.createBeckon(${JSON.stringify(options)});`);
    }
    if (url.pathname === '/favicon.ico') return void res.writeHead(404).end();
    // ?attrs={...}: the script tag's data-* attributes; ?options={...}: a start-up script calling createBeckon.
    const attrs = Object.entries(JSON.parse(url.searchParams.get('attrs') ?? '{}') as Record<string, string>)
      .map(([name, value]) => (value === '' ? ` data-${name}` : ` data-${name}="${value.replace(/"/g, '&quot;')}"`))
      .join('');
    const start = url.searchParams.has('options') ? `<script src="/start.js?options=${encodeURIComponent(url.searchParams.get('options')!)}"></script>` : '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>
<body><h1>Shop</h1><script src="/beckon.min.js"${attrs}></script>${start}</body></html>`);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 180_000); // builds beckon.min.js first when a source is newer

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  requested.length = 0;
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => site?.close(resolve));
  await server?.close();
});

/** A fresh visitor whose pages record which messages reported `beckon-shown`, and what they logged. */
async function visitor(): Promise<{ context: BrowserContext; console: Array<{ type: string; text: string }>; requests: string[] }> {
  const context = await browser.newContext();
  contexts.push(context);
  await context.addInitScript(() => {
    const w = window as unknown as { beckonShown: string[]; globalsBefore: string[] };
    w.beckonShown = [];
    w.globalsBefore = Object.keys(window);
    document.addEventListener('beckon-shown', (event) => w.beckonShown.push((event.target as unknown as { message: { id: string } }).message.id), true);
  });
  const console: Array<{ type: string; text: string }> = [];
  const requests: string[] = [];
  context.on('console', (message) => console.push({ type: message.type(), text: message.text() }));
  context.on('request', (request) => requests.push(`${request.method()} ${request.url()}`));
  return { context, console, requests };
}

/** Opens a page of the site: `attrs` go on the script tag, `options` to a createBeckon call after it. */
async function open(context: BrowserContext, pathname: string, setup: { attrs?: Record<string, string>; options?: Record<string, unknown> }): Promise<Page> {
  const page = await context.newPage();
  const query = new URLSearchParams();
  if (setup.attrs) query.set('attrs', JSON.stringify(setup.attrs));
  if (setup.options) query.set('options', JSON.stringify(setup.options));
  await page.goto(`${origin}${pathname}?${query}`);
  return page;
}

/** The running instance (`beckon.instance` from the attributes, or the start-up script's), once ready. */
async function ready(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const w = window as unknown as { app?: { ready: Promise<void> }; beckon?: { instance?: { ready: Promise<void> } } };
    return (w.app ?? w.beckon?.instance)?.ready.then(() => true);
  });
}

const instance = `((window.app ?? window.beckon.instance))`;
const flush = (page: Page) => page.evaluate(`${instance}.flush()`);

/** Stored events of one visitor as `type` or `type/message`, oldest first. */
function storedFor(anonymousId: string): string[] {
  return storedEvents(server.dbFile)
    .filter((e) => e.anonymous_id === anonymousId)
    .map((e) => [e.name ?? e.type, e.message_id].filter(Boolean).join('/'));
}

describe('beckon.min.js from a <script> tag', () => {
  it('data-endpoint and data-write-key start Beckon as window.beckon.instance: catalog from the endpoint, events stored', async () => {
    const { context } = await visitor();
    const page = await open(context, '/hello', { attrs: { endpoint: server.url, 'write-key': WRITE_KEY } });
    await ready(page);
    await page.waitForFunction(() => (window as unknown as { beckonShown: string[] }).beckonShown.includes('hello'));
    await flush(page);
    const anonymousId = (await page.evaluate(`${instance}.anonymousId`)) as string;
    expect(storedFor(anonymousId)).toEqual(['page', 'Message Shown/hello']);
  });

  it('data-catalog-url alone: the catalog comes from there, the message shows, and nothing is sent anywhere', async () => {
    const { context, requests } = await visitor();
    const page = await open(context, '/', { attrs: { 'catalog-url': '/authored.json' } });
    await ready(page);
    await page.waitForFunction(() => (window as unknown as { beckonShown: string[] }).beckonShown.includes('authored'));
    // A flush settles every request it starts: with no endpoint, there is none to start.
    await flush(page);
    expect(requests.filter((r) => !r.startsWith(`GET ${origin}/`))).toEqual([]);
    expect(requested).toContain('/authored.json');
  });

  it("data-storage=\"memory\": no cookie and no storage key, while the message shows and events are stored", async () => {
    const { context } = await visitor();
    const page = await open(context, '/hello', { attrs: { endpoint: server.url, 'write-key': WRITE_KEY, storage: 'memory' } });
    await ready(page);
    await page.waitForFunction(() => (window as unknown as { beckonShown: string[] }).beckonShown.includes('hello'));
    await flush(page);
    const anonymousId = (await page.evaluate(`${instance}.anonymousId`)) as string;
    expect(storedFor(anonymousId)).toEqual(['page', 'Message Shown/hello']);
    expect(await context.cookies()).toEqual([]);
    expect(await page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);
    // The same page with the default storage does write them: the check above can see them.
    const other = await open(context, '/hello', { attrs: { endpoint: server.url, 'write-key': WRITE_KEY } });
    await ready(other);
    await flush(other);
    expect((await context.cookies()).length).toBeGreaterThan(0);
  });

  it('data-debug: every decision is logged to the console with the messages it shows', async () => {
    const { context, console } = await visitor();
    const page = await open(context, '/hello', { attrs: { endpoint: server.url, 'write-key': WRITE_KEY, debug: '' } });
    await ready(page);
    const decision = (text: string) => console.some((m) => m.type === 'info' && m.text.includes(text));
    await page.waitForFunction(() => (window as unknown as { beckonShown: string[] }).beckonShown.includes('hello'));
    expect(decision('/hello')).toBe(true);
    expect(console.find((m) => m.type === 'info' && m.text.includes('/hello'))!.text).toContain('hello');
    await page.evaluate(() => history.pushState(null, '', '/elsewhere'));
    await expect.poll(() => decision('/elsewhere')).toBe(true);
  });

  it('data-track-pages="false": no page view until the site calls page()', async () => {
    const { context } = await visitor();
    const page = await open(context, '/', { attrs: { endpoint: server.url, 'write-key': WRITE_KEY, 'track-pages': 'false' } });
    await ready(page);
    await page.evaluate(() => history.pushState(null, '', '/moved'));
    await page.evaluate(`${instance}.track('Marker')`);
    await flush(page);
    const anonymousId = (await page.evaluate(`${instance}.anonymousId`)) as string;
    expect(storedFor(anonymousId)).toEqual(['Marker']);
    await page.evaluate(`${instance}.page()`);
    await flush(page);
    expect(storedFor(anonymousId)).toEqual(['Marker', 'page']);
  });

  it('without data-endpoint or data-catalog-url it only defines window.beckon: no instance, no request, no other global', async () => {
    const { context, requests } = await visitor();
    const page = await open(context, '/', { attrs: { 'write-key': WRITE_KEY } });
    const seen = await page.evaluate(() => {
      const w = window as unknown as { globalsBefore: string[]; beckon: { instance?: unknown; createBeckon: unknown; version: string } };
      const before = new Set([...w.globalsBefore, 'globalsBefore']);
      return { added: Object.keys(window).filter((key) => !before.has(key)), instance: w.beckon.instance ?? null, createBeckon: typeof w.beckon.createBeckon, version: w.beckon.version };
    });
    // The page's own load event has fired: every request the page would make on its own has started.
    expect(seen).toMatchObject({ added: ['beckon'], instance: null, createBeckon: 'function' });
    expect(seen.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(requests).toEqual([expect.stringMatching(/^GET .*\/\?/), `GET ${origin}/beckon.min.js`]);
  });

  it('compilerUrl: an authored catalog loads the compiler from there, not from beside beckon.min.js', async () => {
    const { context } = await visitor();
    const page = await open(context, '/', { options: { endpoint: undefined, catalogUrl: '/authored.json', compilerUrl: '/lib/compiler.js' } });
    await ready(page);
    await page.waitForFunction(() => (window as unknown as { beckonShown: string[] }).beckonShown.includes('authored'));
    expect(requested).toContain('/lib/compiler.js');
    expect(requested).not.toContain('/beckon-compiler.min.js');
  });

  it('limits.sessionTimeout: after that long without a page view a new session starts, and its page views count from one', async () => {
    const { context } = await visitor();
    const now = Date.now();
    await context.clock.setSystemTime(now);
    const options = { limits: { sessionTimeout: 60_000 } };
    const page = await open(context, '/views/a', { options });
    await ready(page);
    const verdict = () => page.evaluate(`${instance}.explain().find((e) => e.id === 'second-view')`) as Promise<{ show: boolean; detail?: string }>;
    expect(await verdict()).toMatchObject({ show: false, detail: 'waits for page view 2; this is 1' });
    // Two minutes later (past the 1-minute timeout): the next view is the first of a new session.
    await context.clock.setSystemTime(now + 120_000);
    await page.evaluate(() => history.pushState(null, '', '/views/b'));
    await expect.poll(verdict).toMatchObject({ show: false, detail: 'waits for page view 2; this is 1' });
    // Ten seconds after that (within the timeout): the second view of that session shows it.
    await context.clock.setSystemTime(now + 130_000);
    await page.evaluate(() => history.pushState(null, '', '/views/c'));
    await page.waitForFunction(() => (window as unknown as { beckonShown: string[] }).beckonShown.includes('second-view'));
  });
});
