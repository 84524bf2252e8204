// The React example (docs/examples/react: Vite, React Router, StrictMode, a sign-up form) built by Vite from the
// sources, served with /v1 proxied to a real `beckon serve` (SQLite in a temp folder), and driven in Chromium.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, startTestServer, type TestServer } from './server-harness.js';
import { until } from '../waiting.js';
import { launchChromium } from '../browser.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const example = path.join(root, 'docs', 'examples', 'react');
const CATALOG = JSON.parse(readFileSync(path.join(example, 'messages.json'), 'utf8')) as unknown;

let outDir: string;
let beckon: TestServer;
let http: Server;
let site: string;
let browser: Browser;
const sentEventIds: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  outDir = mkdtempSync(path.join(tmpdir(), 'beckon-react-example-'));
  // The example's own vite.config.ts, with Beckon's packages from their sources (no package build needed first), and
  // React's development build: only there does StrictMode mount every effect twice, which the provider must survive.
  await build({
    root: example,
    logLevel: 'error',
    define: { 'process.env.NODE_ENV': JSON.stringify('development') },
    build: { outDir, emptyOutDir: true },
    resolve: { conditions: ['source', 'module', 'browser', 'development|production'] },
  });
  const bundle = readdirSync(path.join(outDir, 'assets')).map((file) => readFileSync(path.join(outDir, 'assets', file), 'utf8')).join('');
  expect(bundle).toContain('StrictMode');
  expect(bundle).toContain('unique "key" prop');
  // (Page paths are stored, with the rest of each event's context, only when the operator asks for it.)
  beckon = await startTestServer({ catalog: CATALOG, writeKey: 'wk_example', storeContext: true });
  const api = new URL(beckon.url);
  const index = readFileSync(path.join(outDir, 'index.html'));
  http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // /v1 goes to Beckon, as a reverse proxy in front of both would send it.
    if (url.pathname.startsWith('/v1/')) {
      const upstream = request({ host: api.hostname, port: api.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
      return;
    }
    if (url.pathname.startsWith('/assets/')) {
      try {
        return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(path.join(outDir, url.pathname)));
      } catch {
        return void res.writeHead(404).end();
      }
    }
    if (url.pathname === '/favicon.ico') return void res.writeHead(404).end();
    // Every other path is the single-page app.
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(index);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  site = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => http?.close(resolve));
  await beckon?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

/** A fresh visitor: a new browser context whose batches to the collector are recorded. */
async function visitor(): Promise<BrowserContext> {
  const context = await browser.newContext();
  // Which <beckon-message> elements reported themselves on screen.
  await context.addInitScript(() => {
    const shown = new Set<string>();
    (window as unknown as { beckonShown: Set<string> }).beckonShown = shown;
    document.addEventListener('beckon-shown', (event) => shown.add((event as CustomEvent<{ messageId: string }>).detail.messageId), true);
  });
  context.on('page', (page) => page.on('pageerror', (error) => pageErrors.push(String(error))));
  context.on('request', (req) => {
    if (!req.url().startsWith(`${site}/v1/batch`) || req.method() !== 'POST') return;
    sentEventIds.push(...(JSON.parse(req.postData() ?? '{"batch":[]}') as { batch: Array<{ messageId: string }> }).batch.map((e) => e.messageId));
  });
  return context;
}

/** What is on screen: the app's own message components and Beckon's open elements, as `id` lists. */
async function onScreen(page: Page): Promise<{ app: string[]; beckon: string[] }> {
  return page.evaluate(() => ({
    app: [...document.querySelectorAll('[data-message]')].map((el) => el.getAttribute('data-message')!),
    beckon: [...document.querySelectorAll('beckon-message')]
      .filter((el) => (el as unknown as { open: boolean }).open && (window as unknown as { beckonShown: Set<string> }).beckonShown.has((el as unknown as { message: { id: string } }).message.id))
      .map((el) => (el as unknown as { message: { id: string } }).message.id),
  }));
}

/** Sends what waits in the page's queue now (through the app's provider: the tracker's flush). */
async function flush(page: Page): Promise<void> {
  // The app keeps no global: a page hide makes the tracker send at once, as when a visitor leaves.
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
}

interface Row {
  type: string;
  name: string | null;
  message_id: string | null;
  event_id: string;
  user_id: string | null;
  body: string;
}

/** Every event the server stored whose anonymous id is the page's (read from its storage), oldest first. */
async function storedFor(page: Page): Promise<Row[]> {
  const anonymousId = await page.evaluate(() => localStorage.getItem('beckon_anonymous_id') ?? '');
  const db = new Database(beckon.dbFile, { readonly: true });
  try {
    return db.prepare('SELECT type, name, message_id, event_id, user_id, body FROM events WHERE anonymous_id = ? ORDER BY seq').all(anonymousId) as Row[];
  } finally {
    db.close();
  }
}

/** Events as comparable lines: a page view by path, a track event with its properties (but the variant), an identify. */
function lines(rows: Row[]): string[] {
  return rows.map((row) => {
    const body = JSON.parse(row.body) as { properties?: Record<string, unknown>; context?: { page?: { path?: string } } };
    if (row.type === 'page') return `page ${body.context?.page?.path}`;
    if (row.type === 'track') return `${row.name} ${JSON.stringify(body.properties)}`;
    return row.type;
  });
}

describe('the React example in Chromium, against a real beckon serve', () => {
  it('shows messages on their route, withdraws them on SPA navigation, closes anonymous ones on identify (StrictMode)', async () => {
    const page = await (await visitor()).newPage();
    await page.goto(`${site}/`);
    // The modal is the app's own dialog; the inline card is <beckon-message> in <BeckonSlot name="home-card">.
    await until(() => onScreen(page), (s) => s.app.join() === 'welcome' && s.beckon.join() === 'home-tip', 'the welcome dialog and the tip card');
    expect(await page.locator('beckon-slot[name="home-card"] beckon-message').count()).toBe(1);
    // The dialog's action goes through the router: the same document, no page load.
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    await page.getByRole('button', { name: 'Create account' }).click();
    await until(() => onScreen(page), (s) => s.app.join() === 'signup-help' && s.beckon.length === 0, 'the welcome withdrawn and the sign-up banner');
    expect(new URL(page.url()).pathname).toBe('/signup');
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByRole('button', { name: 'Sign up' }).click();
    // Still on /signup: identify alone closes the anonymous banner.
    await until(() => onScreen(page), (s) => s.app.length === 0, 'the banner closed by identify');
    expect(new URL(page.url()).pathname).toBe('/signup');
    await page.getByRole('link', { name: 'Back to the shop' }).click();
    await until(() => onScreen(page), (s) => s.beckon.join() === 'members' && s.app.length === 0, 'the members card, and no anonymous welcome');
    await flush(page);
    const rows = await until(() => storedFor(page), (r) => r.some((e) => e.message_id === 'members'), 'the members show at the server');
    // One page view per navigation and one show per message, though StrictMode mounted everything twice.
    expect(lines(rows)).toEqual([
      'page /',
      expect.stringMatching(/^Message Shown /),
      expect.stringMatching(/^Message Shown /),
      'Message Clicked {"message_id":"welcome","action_id":"signup","url":"/signup"}',
      'page /signup',
      'Message Shown {"message_id":"signup-help","layout":"banner"}',
      'identify',
      'page /',
      'Message Shown {"message_id":"members","layout":"inline"}',
    ]);
    expect(lines(rows).slice(1, 3).sort()).toEqual(['Message Shown {"message_id":"home-tip","layout":"inline"}', 'Message Shown {"message_id":"welcome","layout":"modal"}']);
    expect(rows.find((r) => r.message_id === 'members')!.user_id).toBe('ada@example.com');
  });

  it('the app’s own components record exactly what <beckon-message> records: the same events stored for both', async () => {
    const journeys: Record<string, string[]> = {};
    for (const renderer of ['app', 'beckon'] as const) {
      const page = await (await visitor()).newPage();
      await page.goto(`${site}/?renderer=${renderer}`);
      const where = renderer === 'app' ? 'app' : 'beckon';
      await until(() => onScreen(page), (s) => s[where].includes('welcome'), `the welcome modal (${renderer})`);
      // An action with a URL (routed by the app), then a banner closed with its close button, then a dismiss action.
      if (renderer === 'app') await page.getByRole('button', { name: 'Create account' }).click();
      else await page.locator('beckon-message a[part~="action"]', { hasText: 'Create account' }).click();
      await until(() => onScreen(page), (s) => s[where].join() === 'signup-help', `the banner (${renderer})`);
      await page.locator(renderer === 'app' ? '.banner .close' : 'beckon-message [part="close"]').click();
      await until(() => onScreen(page), (s) => s[where].length === 0, `the banner dismissed (${renderer})`);
      await flush(page);
      const rows = await until(() => storedFor(page), (r) => r.some((e) => e.name === 'Message Dismissed'), `the dismissal stored (${renderer})`);
      journeys[renderer] = lines(rows).filter((line) => !line.includes('home-tip'));
    }
    expect(journeys.app).toEqual([
      'page /',
      'Message Shown {"message_id":"welcome","layout":"modal"}',
      'Message Clicked {"message_id":"welcome","action_id":"signup","url":"/signup"}',
      'page /signup',
      'Message Shown {"message_id":"signup-help","layout":"banner"}',
      'Message Dismissed {"message_id":"signup-help","via":"close-button"}',
    ]);
    expect(journeys.beckon).toEqual(journeys.app);
  });

  it('stored every event the pages sent exactly once, and no page had an error', async () => {
    expect(sentEventIds.length).toBeGreaterThan(10);
    const db = new Database(beckon.dbFile, { readonly: true });
    const stored = (db.prepare('SELECT event_id FROM events').all() as Array<{ event_id: string }>).map((e) => e.event_id);
    db.close();
    expect(new Set(stored).size).toBe(stored.length);
    expect(sentEventIds.filter((id) => !stored.includes(id))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
