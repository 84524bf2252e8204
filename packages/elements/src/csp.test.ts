// The elements in a real page served with a strict Content-Security-Policy (no unsafe-inline, no
// unsafe-eval), bundled as a site would bundle them and driven in the system's Chromium.
import { build } from 'esbuild';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'";

/** Runs first on every page: records every CSP violation and uncaught error where the test can read them. */
const LISTEN = `
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
window.addEventListener('error', (e) => window.__violations.push('error ' + e.message));
`;

/** The page's app: one message of each layout, and a record of the events they fire. */
const APP = `
import '@beckon/elements/define';
const content = {
  title: 'Strict page',
  body: 'Works **without** _inline_ code. [More](/more)',
  image: { src: '/pixel.gif', alt: 'A pixel' },
  actions: [{ id: 'go', label: 'Go', url: '#go', style: 'primary' }, { id: 'no', label: 'No', dismiss: true }],
};
window.__events = [];
const layouts = new URL(import.meta.url).searchParams.get('only') === 'modal'
  ? [{ type: 'modal' }]
  : [{ type: 'modal' }, { type: 'banner' }, { type: 'popup', position: 'top-left' }, { type: 'inline', slot: 'here' }];
for (const layout of layouts) {
  const el = document.createElement('beckon-message');
  el.id = layout.type;
  el.message = { id: layout.type, layout, content };
  for (const type of ['beckon-shown', 'beckon-action', 'beckon-dismiss']) {
    el.addEventListener(type, (e) => window.__events.push(type + ' ' + JSON.stringify(e.detail)));
  }
  (layout.type === 'inline' ? document.querySelector('beckon-slot') : document.body).append(el);
}
`;

const PAGE = (title: string, extra = '') => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<script src="/listen.js"></script><script type="module" src="/app.js"></script></head>
<body><main><h1>${title}</h1><beckon-slot name="here"></beckon-slot>${extra}<div class="tall"></div></main></body></html>`;

/** A 1×1 GIF, so the image loads from 'self'. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

let server: Server;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  const bundle = await build({
    stdin: { contents: APP, resolveDir: root, sourcefile: 'app.ts', loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    conditions: ['source'],
    logLevel: 'silent',
  });
  const app = bundle.outputFiles[0]!.text;
  const files: Record<string, [string, string | Buffer]> = {
    '/listen.js': ['text/javascript', LISTEN],
    '/app.js': ['text/javascript', app],
    '/pixel.gif': ['image/gif', PIXEL],
    '/page.css': ['text/css', '.tall { height: 5000px; }'],
  };
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const file = files[url.pathname];
    const headers = { 'content-security-policy': CSP };
    if (file) {
      res.writeHead(200, { ...headers, 'content-type': file[0] });
      res.end(file[1]);
    } else if (url.pathname === '/') {
      res.writeHead(200, { ...headers, 'content-type': 'text/html' });
      res.end(PAGE('Strict page', '<link rel="stylesheet" href="/page.css">'));
    } else if (url.pathname === '/control') {
      // The same page plus one inline style attribute: the policy must report it, or the test sees nothing.
      res.writeHead(200, { ...headers, 'content-type': 'text/html' });
      res.end(PAGE('Control page', '<p style="color: red">inline style</p>'));
    } else {
      res.writeHead(404, headers);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // scripts/chromium.mjs is plain JavaScript; a computed specifier keeps TypeScript from wanting its types.
  const chromiumModule = join(root, 'scripts', 'chromium.mjs');
  const { chromiumPath, chromiumArgs } = (await import(chromiumModule)) as { chromiumPath(): string; chromiumArgs(): string[] };
  // Real scrollbars (Playwright hides them by default) so the scroll lock's padding can be measured.
  browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs(), ignoreDefaultArgs: ['--hide-scrollbars'] });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

async function open(url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
  page.setDefaultTimeout(10_000);
  await page.goto(origin + url);
  return page;
}

describe('@beckon/elements under a strict Content-Security-Policy', () => {
  it('the control page reports its inline style, so violations are seen', async () => {
    const page = await open('/control');
    await page.waitForFunction(() => (window as unknown as { __violations: string[] }).__violations.length > 0);
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([expect.stringMatching(/^style-src/)]);
    await page.close();
  });

  it('renders and styles every layout, fires its events, and breaks no rule of the policy', async () => {
    const page = await open('/');
    await page.waitForFunction(() => (window as unknown as { __events: string[] }).__events.filter((e) => e.startsWith('beckon-shown')).length === 4);
    const state = await page.evaluate(() =>
      ['modal', 'banner', 'popup', 'inline'].map((id) => {
        const el = document.getElementById(id)!;
        const base = el.shadowRoot!.querySelector('[part="base"]')!;
        const style = getComputedStyle(base);
        return {
          id,
          sheets: el.shadowRoot!.adoptedStyleSheets.length,
          position: style.position,
          background: style.backgroundColor,
          radius: style.borderTopLeftRadius,
          title: el.shadowRoot!.querySelector('[part="title"]')!.textContent,
          image: (el.shadowRoot!.querySelector('[part="image"]') as HTMLImageElement | null)?.naturalWidth,
        };
      }),
    );
    expect(state).toEqual([
      { id: 'modal', sheets: 1, position: 'fixed', background: 'rgb(255, 255, 255)', radius: '12px', title: 'Strict page', image: 1 },
      { id: 'banner', sheets: 1, position: 'fixed', background: 'rgb(255, 255, 255)', radius: '0px', title: 'Strict page', image: 1 },
      { id: 'popup', sheets: 1, position: 'fixed', background: 'rgb(255, 255, 255)', radius: '12px', title: 'Strict page', image: 1 },
      { id: 'inline', sheets: 1, position: 'relative', background: 'rgb(255, 255, 255)', radius: '12px', title: 'Strict page', image: 1 },
    ]);

    // Keyboard and mouse work too: Escape closes the modal, a click on the popup's action reports it.
    await page.keyboard.press('Escape');
    await page.locator('#popup').getByRole('link', { name: 'Go' }).click();
    await page.waitForFunction(() => location.hash === '#go');
    const events = await page.evaluate(() => (window as unknown as { __events: string[] }).__events);
    expect(events.filter((e) => !e.startsWith('beckon-shown'))).toEqual([
      'beckon-dismiss {"messageId":"modal","via":"escape"}',
      'beckon-action {"messageId":"popup","actionId":"go","url":"#go"}',
    ]);
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
    await page.close();
  });

  it('a modal locks scrolling without shifting the page sideways (real scrollbars)', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    page.setDefaultTimeout(10_000);
    // Measure before the app runs: load the page, then open the modal from the page's own script.
    await page.route('**/app.js', (route) => route.abort());
    await page.goto(origin + '/');
    const before = await page.evaluate(() => ({ scrollbar: innerWidth - document.documentElement.clientWidth, width: document.querySelector('main')!.getBoundingClientRect().width }));
    expect(before.scrollbar).toBeGreaterThan(0);
    await page.unroute('**/app.js');
    await page.addScriptTag({ url: '/app.js?only=modal', type: 'module' });
    await page.waitForFunction(() => (window as unknown as { __events: string[] }).__events.length === 1);
    const during = await page.evaluate(() => ({
      overflow: getComputedStyle(document.documentElement).overflow,
      scrollbar: innerWidth - document.documentElement.clientWidth,
      width: document.querySelector('main')!.getBoundingClientRect().width,
    }));
    expect(during).toEqual({ overflow: 'hidden', scrollbar: 0, width: before.width });
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.documentElement.style.overflow === '');
    expect(await page.evaluate(() => innerWidth - document.documentElement.clientWidth)).toBe(before.scrollbar);
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
    await page.close();
  });
});
