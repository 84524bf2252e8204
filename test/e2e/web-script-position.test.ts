// beckon.min.js where sites put it: in <head> (before <body> exists) and at the end of <body>, in every storage
// mode, with an inline compiled catalog whose banner and popup both show on every page. Real Chromium, the
// built script, the page and a stand-in collector on one loopback port.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileCatalog } from '@beckon/rules';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtScripts, onScreen } from './fixtures/web/site.js';
import { launchChromium } from '../browser.js';

const CATALOG = compileCatalog([
  { id: 'everywhere-banner', layout: { type: 'banner' }, content: { title: 'A banner on every page' } },
  { id: 'everywhere-popup', layout: { type: 'popup' }, content: { title: 'A popup on every page' } },
]);
const STORAGE_MODES = ['cookie+local', 'local', 'session', 'memory'] as const;

/** A page with the snippet in `position`; the options script runs right after beckon.min.js, as a site's would. */
function page(position: string, storage: string): string {
  const snippet = `<script src="/beckon.min.js"></script>
<script>window.app = beckon.createBeckon({ endpoint: location.origin, writeKey: 'wk', storage: ${JSON.stringify(storage)}, catalog: ${JSON.stringify(CATALOG)} });</script>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>${position === 'head' ? snippet : ''}</head>
<body><h1>Shop</h1><p>Some content.</p>${position === 'body' ? snippet : ''}</body></html>`;
}

let server: Server;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  // beckon.min.js, and the renderer it loads from beside itself when a message will show.
  const scripts = builtScripts();
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const script = scripts[url.pathname];
    if (script) return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    if (url.pathname === '/v1/batch') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    if (url.pathname === '/page') return void res.writeHead(200, { 'content-type': 'text/html' }).end(page(url.searchParams.get('position')!, url.searchParams.get('storage')!));
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe('beckon.min.js in <head> and at the end of <body>', () => {
  for (const position of ['head', 'body']) {
    for (const storage of STORAGE_MODES) {
      it(`in <${position}> with storage '${storage}': the banner and the popup both show`, async () => {
        const context = await browser.newContext();
        const problems: string[] = [];
        try {
          // Which elements reported beckon-shown (on screen), recorded from before any script of the page runs.
          await context.addInitScript(() => {
            const shown = new WeakSet<EventTarget>();
            (window as unknown as { beckonShown: WeakSet<EventTarget> }).beckonShown = shown;
            document.addEventListener('beckon-shown', (event) => shown.add(event.target!), true);
          });
          const tab = await context.newPage();
          tab.on('pageerror', (error) => problems.push(String(error)));
          tab.on('console', (message) => message.type() === 'warning' && problems.push(message.text()));
          await tab.goto(`${origin}/page?position=${position}&storage=${encodeURIComponent(storage)}`);
          await tab.waitForFunction(() => (window as unknown as { app: { ready: Promise<void> } }).app.ready.then(() => true));
          await tab.waitForFunction(
            () => [...document.querySelectorAll('beckon-message')].filter((el) => (window as unknown as { beckonShown: WeakSet<Element> }).beckonShown.has(el)).length === 2,
            undefined,
            { timeout: 10_000 },
          ).catch(async (error: Error) => {
            throw new Error(`${error.message}; on screen: ${JSON.stringify(await onScreen(tab))}; problems: ${JSON.stringify(problems)}`);
          });
          expect((await onScreen(tab)).sort()).toEqual(['everywhere-banner', 'everywhere-popup']);
          expect(problems).toEqual([]);
        } finally {
          await context.close();
        }
      });
    }
  }
});
