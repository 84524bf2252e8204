// The browser side of the fault matrix: the built beckon.min.js on pages of a small site in real Chromium,
// talking over real HTTP to a real Beckon server (SQLite) on another loopback port. Each page loads the SDK and a
// setup script from its own origin, so the same pages run under a strict Content-Security-Policy.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer, storedEvents, type StoredEvent, type TestServer } from '../e2e/server-harness.js';
import { builtScripts } from '../e2e/fixtures/web/site.js';
import { launchChromium } from '../browser.js';

export const WRITE_KEY = 'wk_faults';

/** A strict policy: no inline script or style, no eval; connections only to the page's own origin and the server. */
const strictPolicy = (server: string) => `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self' ${server}`;

/** Runs before any script of every page: records shows, policy violations and uncaught errors where tests read them. */
const WATCH = () => {
  const w = window as unknown as { beckonShown: WeakSet<EventTarget>; violations: string[] };
  w.beckonShown = new WeakSet();
  w.violations = [];
  document.addEventListener('beckon-shown', (event) => w.beckonShown.add(event.target!), true);
  document.addEventListener('securitypolicyviolation', (event) => w.violations.push(`${event.violatedDirective} ${event.blockedURI}`));
};


/** The site, the Beckon server behind it and a browser, for the browser rows of the matrix. */
export interface FaultSite {
  server: TestServer;
  browser: Browser;
  /** A fresh visitor; every page of it is watched (see `problems`). */
  visitor(): Promise<BrowserContext>;
  /**
   * Opens `pathname` in a new page and waits until Beckon is ready. `options` are createBeckon's (beside the
   * endpoint and write key); `csp` serves the page under the strict policy.
   */
  open(context: BrowserContext, pathname: string, options?: Record<string, unknown>, csp?: boolean): Promise<Page>;
  /** Uncaught page errors and console warnings of every page so far. */
  problems: { errors: string[]; warnings: string[] };
  /** Events stored by the server, oldest first. */
  stored(): StoredEvent[];
  close(): Promise<void>;
}

export async function startFaultSite(catalog: unknown): Promise<FaultSite> {
  const scripts = builtScripts();
  const server = await startTestServer({ catalog, writeKey: WRITE_KEY });
  const http: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const script = scripts[url.pathname];
    if (script) return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    if (url.pathname === '/setup.js') {
      // The site's own start-up script: options from the page's query, so it needs no inline script.
      const options = { endpoint: server.url, writeKey: WRITE_KEY, ...(JSON.parse(url.searchParams.get('options') ?? '{}') as object) };
      return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(`window.app = beckon.createBeckon(${JSON.stringify(options)});`);
    }
    if (url.pathname === '/favicon.ico') return void res.writeHead(404).end();
    const setup = `/setup.js?options=${encodeURIComponent(url.searchParams.get('options') ?? '{}')}`;
    const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8' };
    if (url.searchParams.has('csp')) headers['content-security-policy'] = strictPolicy(server.url);
    res.writeHead(200, headers).end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>
<body><main><h1>Shop</h1><p>Some content.</p></main><script src="/beckon.min.js"></script><script src="${setup}"></script></body></html>`);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const browser = await launchChromium();
  const problems = { errors: [] as string[], warnings: [] as string[] };
  return {
    server,
    browser,
    problems,
    async visitor() {
      const context = await browser.newContext();
      await context.addInitScript(WATCH);
      context.on('page', (page) => {
        page.on('pageerror', (error) => problems.errors.push(String(error)));
        page.on('console', (message) => message.type() === 'warning' && problems.warnings.push(message.text()));
      });
      return context;
    },
    async open(context, pathname, options = {}, csp = false) {
      const page = await context.newPage();
      const query = new URLSearchParams({ options: JSON.stringify(options) });
      if (csp) query.set('csp', '1');
      await page.goto(`${origin}${pathname}${pathname.includes('?') ? '&' : '?'}${query}`);
      await page.waitForFunction(() => (window as unknown as { app: { ready: Promise<void> } }).app.ready.then(() => true));
      return page;
    },
    stored: () => storedEvents(server.dbFile),
    async close() {
      await browser.close();
      await new Promise((resolve) => http.close(resolve));
      await server.close();
    },
  };
}

/** Ids of the messages on screen in `page` (open and reported `beckon-shown`). */
export function shownIn(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const shown = (window as unknown as { beckonShown: WeakSet<Element> }).beckonShown;
    return [...document.querySelectorAll('beckon-message')].filter((el) => shown.has(el)).map((el) => (el as unknown as { message: { id: string } }).message.id);
  });
}

/** Waits until `page` shows `id`. */
export async function waitShown(page: Page, id: string, timeout = 10_000): Promise<void> {
  await page.waitForFunction(
    (wanted) => {
      const shown = (window as unknown as { beckonShown: WeakSet<Element> }).beckonShown;
      return [...document.querySelectorAll('beckon-message')].some((el) => shown.has(el) && (el as unknown as { message: { id: string } }).message.id === wanted);
    },
    id,
    { timeout },
  );
}


/** Sends what the page's Beckon holds, now. */
export const flush = (page: Page) => page.evaluate(() => (window as unknown as { app: { flush(): Promise<void> } }).app.flush());

/** The page's anonymous id. */
export const anonymousIdOf = (page: Page) => page.evaluate(() => (window as unknown as { app: { anonymousId: string } }).app.anonymousId);
