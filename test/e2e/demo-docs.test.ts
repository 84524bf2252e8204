// The docs site as built by docs/build.mjs, in real Chromium: every page loads without errors and loads
// nothing from outside this machine, every internal link resolves (anchors included), and the live
// parts work: the playground validates as you type, renders and decides; the layouts render with the
// real component; the pattern tester matches.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NAV, STORE_NAV } from '../../docs/build.mjs';
import { launchChromium, root, startDemo, watchProblems, type Demo } from './demo-site.js';

const products = JSON.parse(readFileSync(path.join(root, 'docs', 'store', 'products.json'), 'utf8')) as Array<{ slug: string }>;

/** Every page of the site: the docs pages and the store's. */
const PAGES = [
  ...NAV.map(([file]) => (file === 'index' ? '/' : `/${file}.html`)),
  ...STORE_NAV.map(([file]) => (file === 'index' ? '/store/' : `/store/${file}`)),
  ...products.map(({ slug }) => `/store/products/${slug}`),
];

let browser: Browser;
let demo: Demo;
let context: BrowserContext;

beforeAll(async () => {
  [browser, demo] = await Promise.all([launchChromium(), startDemo()]);
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await demo?.close();
});

async function open(url: string): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(demo.site + url);
  return page;
}

describe('the docs site', () => {
  it('every page loads without errors, only from this machine, and every internal link resolves', async () => {
    const links = new Map<string, string>(); // absolute URL → the page it was found on
    const outside = new Set<string>();
    for (const url of PAGES) {
      const page = await context.newPage();
      const problems = watchProblems(page);
      page.on('request', (request) => {
        const { hostname, protocol } = new URL(request.url());
        if (protocol !== 'data:' && hostname !== '127.0.0.1') outside.add(`${url} loads ${request.url()}`);
      });
      const response = await page.goto(demo.site + url, { waitUntil: 'networkidle' });
      expect(response?.status(), url).toBe(200);
      expect(await page.locator('h1').count(), `${url} has one h1`).toBe(1);
      // config.js and the page's script ran: the dashboard link points at this demo's server.
      expect(await page.locator('a[data-dashboard]').first().getAttribute('href'), url).toBe(`${demo.beckon.url}/dashboard`);
      for (const href of await page.locator('a[href]').evaluateAll((anchors) => anchors.map((a) => (a as HTMLAnchorElement).href))) {
        if (!links.has(href)) links.set(href, url);
      }
      expect(problems.errors, url).toEqual([]);
      await page.close();
    }
    expect([...outside]).toEqual([]);

    const internal = [...links].filter(([href]) => href.startsWith(demo.site) || href.startsWith(demo.beckon.url));
    expect(internal.length).toBeGreaterThan(PAGES.length);
    const broken: string[] = [];
    for (const [href, from] of internal) {
      const url = new URL(href);
      const response = await fetch(url.origin + url.pathname + url.search);
      if (response.status !== 200) broken.push(`${from} → ${href}: HTTP ${response.status}`);
      const hash = decodeURIComponent(url.hash.slice(1));
      if (hash && !(await response.text()).includes(`id="${hash}"`)) broken.push(`${from} → ${href}: no element with id "${hash}"`);
    }
    expect(broken).toEqual([]);
    // Every page is reachable from the navigation.
    for (const url of PAGES.filter((p) => !p.startsWith('/store/products/'))) expect(internal.some(([href]) => new URL(href).pathname === url), url).toBe(true);
  }, 120_000);

  it('the playground shows validation errors with their paths as you type, renders a good message and decides', async () => {
    const page = await open('/playground.html');
    const problems = watchProblems(page);
    const status = page.locator('#pg-status');
    const errors = page.locator('#pg-errors li');
    const source = page.locator('#pg-source');

    // It starts from the demo's coupon: valid, previewed, and waiting for the scroll on a product page.
    await expect.poll(() => status.textContent()).toBe('Valid: 1 message.');
    await expect.poll(() => page.locator('#pg-preview beckon-message', { hasText: '10% off your first order' }).count()).toBe(1);
    expect(await page.locator('#pg-decision tr').first().textContent()).toBe('first-order-couponyesshows once scrolled 50% down');

    // Typing a mistake: the error appears with its path, and the message is no longer previewed.
    const coupon = await source.inputValue();
    await source.click();
    await source.press('ControlOrMeta+a');
    await source.pressSequentially(coupon.replace('"scrollPercent": 50', '"scrollPercent": 150').replace('"/store/products/*"', '"/store/pro[ducts"'), { delay: 0 });
    await expect.poll(() => status.textContent()).toBe('2 problems.');
    expect(await errors.allTextContents()).toEqual([
      'pages.include[0] "/store/pro[ducts" is not a valid pattern (unclosed "["; close it, or write "\\[" for a literal one)',
      'trigger.scrollPercent 150 is out of range; use a number from 0 to 100',
    ]);
    expect(await page.locator('#pg-errors code').allTextContents()).toEqual(['pages.include[0]', 'trigger.scrollPercent']);
    expect(await page.locator('#pg-preview beckon-message').count()).toBe(0);

    // Text that is not JSON yet.
    await source.fill('{ "id": "half-typed", ');
    await expect.poll(() => errors.first().textContent()).toMatch(/^\(the whole input\) not valid JSON: /);

    // The broken example: every problem, each with its path.
    await page.locator('#pg-example').selectOption({ label: 'A broken message' });
    await expect.poll(() => page.locator('#pg-errors code').allTextContents()).toEqual(['id', 'pages.include[0]', 'trigger.delay', 'layout.position', 'content.actions[0].url', 'content', 'frequncy']);
    expect(await errors.last().textContent()).toBe('frequncy unknown key "frequncy"; did you mean "frequency"?');

    // A good banner: previewed, and decided for the URL and the identified state chosen.
    const banner = { id: 'sale', pages: { include: ['/sale/**'] }, layout: { type: 'banner' }, content: { title: 'Winter sale', body: 'Up to **40%** off.' } };
    await source.fill(JSON.stringify(banner, null, 2));
    await expect.poll(() => status.textContent()).toBe('Valid: 1 message.');
    const preview = page.locator('#pg-preview beckon-message', { hasText: 'Winter sale' });
    await expect.poll(() => preview.count()).toBe(1);
    expect(await preview.locator('strong').textContent()).toBe('40%');
    const decision = page.locator('#pg-decision tr');
    await expect.poll(() => decision.textContent()).toBe('saleno: page"/sale/**" does not match');
    await page.locator('#pg-url').fill('https://shop.example/sale/shoes');
    await expect.poll(() => decision.textContent()).toBe('saleyesshows now');
    await page.locator('#pg-identified').check();
    await expect.poll(() => decision.textContent()).toBe('saleno: audiencefor anonymous visitors only');

    // "Show it as a banner" shows the real layout.
    await page.getByRole('button', { name: 'Show "sale" as a banner' }).click();
    await expect.poll(() => page.locator('body > beckon-message').evaluate((el) => (el as HTMLElementTagNameMap['beckon-message']).message?.layout.type)).toBe('banner');
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  it('the layouts page renders each layout with <beckon-message> and applies the theming example', async () => {
    const page = await open('/layouts.html');
    const problems = watchProblems(page);
    await page.getByRole('button', { name: 'Show the modal' }).click();
    const dialog = page.getByRole('dialog', { name: '10% off your first order' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => page.locator('#event-log').textContent()).toContain('beckon-dismiss {"messageId":"layout-modal","via":"escape"}');

    for (const type of ['banner', 'popup']) {
      await page.getByRole('button', { name: `Show the ${type}` }).click();
      await expect.poll(() => page.locator('#event-log').textContent()).toContain(`beckon-shown {"messageId":"layout-${type}","layout":"${type}"}`);
    }
    expect(await page.locator('beckon-slot[name="product-offer"] beckon-message', { hasText: 'Members save on bundles' }).count()).toBe(1);

    const themed = page.locator('.theme-demo beckon-message');
    expect(await themed.evaluate((el) => getComputedStyle(el).getPropertyValue('--beckon-color-primary').trim())).toBe('#0a7c4a');
    const title = themed.locator('[part="title"]');
    expect(await title.evaluate((el) => getComputedStyle(el).textTransform)).toBe('uppercase');
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  it('the page-rules tester matches patterns as you type and names a bad one', async () => {
    const page = await open('/page-rules.html');
    const result = page.locator('#pattern-result');
    await expect.poll(() => result.textContent()).toBe('Matches: the message may show on this page.');
    await page.locator('#pattern').fill('/products/*/reviews');
    await expect.poll(() => result.textContent()).toBe('Does not match.');
    await page.locator('#pattern').fill('{ "contains": "lamp" }');
    await expect.poll(() => result.textContent()).toBe('Matches: the message may show on this page.');
    await page.locator('#pattern').fill('/pri[cing');
    await expect.poll(() => result.textContent()).toContain('"/pri[cing" is not a valid pattern (unclosed "["');
    await page.close();
  });
});
