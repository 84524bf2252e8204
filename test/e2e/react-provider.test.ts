// <BeckonProvider options> in Chromium with React 18 and 19 (development builds: StrictMode mounts every effect
// twice), against a real `beckon serve`: one page view and one show under StrictMode, none more after a fast-refresh
// edit that remounts the app (React's own refresh runtime), one page view per navigation (no second set of history
// listeners), and after unmount history is restored and nothing more is sent.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedEvents, startTestServer, type TestServer } from './server-harness.js';
import { until } from '../waiting.js';
import { launchChromium } from '../browser.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const react18 = path.join(root, 'packages', 'react', 'test', 'react18', 'node_modules');
const CATALOG = { messages: [{ id: 'hello', pages: { include: ['/'] }, layout: { type: 'modal' }, content: { title: 'Hello' } }] };

let beckon: TestServer;
let http: Server;
let site: string;
let browser: Browser;
const bundles: Record<string, string> = {};
const pageErrors: string[] = [];

beforeAll(async () => {
  for (const react of ['18', '19']) {
    const result = await build({
      entryPoints: [path.join(root, 'packages', 'react', 'test', 'provider-page.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      conditions: ['source'],
      define: { 'process.env.NODE_ENV': JSON.stringify('development') },
      // React 18's react and react-dom for the one bundle; the workspace's React 19 for the other.
      alias: react === '18' ? { react: path.join(react18, 'react'), 'react-dom': path.join(react18, 'react-dom') } : {},
      logLevel: 'error',
    });
    bundles[react] = result.outputFiles![0]!.text;
  }
  beckon = await startTestServer({ catalog: CATALOG, storeContext: true });
  http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const react = url.searchParams.get('react') ?? '19';
    if (url.pathname === '/app.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundles[react]);
    if (url.pathname === '/favicon.ico') return void res.writeHead(404).end();
    const query = new URLSearchParams({ endpoint: beckon.url, react });
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="en"><head><title>Provider</title></head>
<body><div id="root"></div><script type="module" src="/app.js?${query}"></script></body></html>`);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  site = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => http?.close(resolve));
  await beckon?.close();
});

interface Fixture {
  react: string;
  effects: string[];
  edit(): void;
  unmount(): void;
}

/** The stored events of the page's visitor, as `type path-or-message` lines. */
async function stored(page: Page): Promise<string[]> {
  const anonymousId = await page.evaluate(() => localStorage.getItem('beckon_anonymous_id'));
  return storedEvents(beckon.dbFile)
    .filter((e) => e.anonymous_id === anonymousId)
    .map((e) => [e.type, e.name, e.message_id].filter(Boolean).join(' '));
}

/** Makes the tracker send what waits now: the page is hidden, as when a visitor switches tabs. */
const flush = (page: Page) =>
  page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
  });

const messagesOnScreen = (page: Page) => page.locator('[data-message]').count();

describe.each(['18', '19'])('<BeckonProvider> in Chromium with React %s', (react) => {
  it('starts once under StrictMode and after a fast-refresh remount, follows navigation once, and stops cleanly on unmount', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    await page.goto(`${site}/?react=${react}`);
    await page.waitForFunction(() => (window as unknown as { fixture?: unknown }).fixture !== undefined);
    expect((await page.evaluate(() => (window as unknown as { fixture: Fixture }).fixture.react)).split('.')[0]).toBe(react);
    await until(() => messagesOnScreen(page), (n) => n === 1, 'the message drawn by the app');
    // StrictMode did mount the provider's effects twice.
    expect(await page.evaluate(() => (window as unknown as { fixture: Fixture }).fixture.effects.join())).toBe('mount,unmount,mount');

    // A fast-refresh edit that remounts the whole app, provider included (React's own refresh runtime).
    await page.evaluate(() => (window as unknown as { fixture: Fixture }).fixture.edit());
    await page.locator('[data-edition="v2"]').waitFor();
    // The old tree unmounted and the new one mounted (twice over again: StrictMode).
    expect(await page.evaluate(() => (window as unknown as { fixture: Fixture }).fixture.effects.join())).toMatch(/^mount,unmount,mount,unmount,mount(,unmount,mount)?$/);
    expect(await messagesOnScreen(page)).toBe(1);

    // One navigation, one page view: a second instance would have wrapped history again and counted it twice.
    await page.evaluate(() => history.pushState(null, '', '/elsewhere'));
    await until(() => messagesOnScreen(page), (n) => n === 0, 'the message withdrawn on /elsewhere');
    await flush(page);
    const events = await until(() => stored(page), (e) => e.length >= 3, 'the events at the server');
    expect(events).toEqual(['page', 'track Message Shown hello', 'page']);

    // Unmount: history is the browser's own again (no wrapper is left to see a navigation), and what was stored stays.
    await page.evaluate(() => (window as unknown as { fixture: Fixture }).fixture.unmount());
    await until(() => page.evaluate(() => String(history.pushState).includes('[native code]')), (native) => native, 'history.pushState restored');
    await page.evaluate(() => history.pushState(null, '', '/after'));
    await flush(page);
    expect(await stored(page)).toEqual(events);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
