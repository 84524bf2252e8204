// The demo store's whole loop in real Chromium, against a real Beckon server on 127.0.0.1 with a temp
// SQLite file: an anonymous visitor meets each message of the demo catalog, signs up, the anonymous
// messages vanish, every event is stored exactly once, and /v1/metrics and /dashboard agree with what
// happened.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assignVariant, holdoutBucket, type Variant } from '@beckon/rules';
import { readFileSync } from 'node:fs';
import type { MessageMetrics } from '@beckon/tracking';
import type { Beckon, Explanation } from '@beckon/web';
import { launchChromium, recordUiEvents, startDemo, until, watchProblems, type Demo, type PageProblems, type UiEvent } from './demo-site.js';
import { Database } from './server-harness.js';

const DAY = 86_400_000;
const ANONYMOUS_MESSAGES = ['welcome-banner', 'first-order-coupon', 'pricing-exit', 'bundle-offer', 'signup-perks'];

/** The demo's experiment: the bundle offer in two variants, with a control group. */
const BUNDLE = (JSON.parse(readFileSync(new URL('../../docs/demo/messages.json', import.meta.url), 'utf8')) as { messages: Array<{ id: string; holdout: number; variants: Variant[] }> }).messages.find((m) => m.id === 'bundle-offer')!;

/**
 * The anonymous id the journey's visitor starts with (a fresh uuid-like one each run, as the SDK makes), drawn so
 * that they are not in the bundle offer's control group: the journey meets every message. Their variant is what
 * assignment gives them.
 */
function journeyVisitor(): { anonymousId: string; variant: Variant } {
  for (;;) {
    const anonymousId = crypto.randomUUID();
    if (holdoutBucket(anonymousId, BUNDLE.id) >= BUNDLE.holdout) return { anonymousId, variant: assignVariant(BUNDLE.id, anonymousId, BUNDLE.variants)! };
  }
}

type StoreWindow = { demoStore: { beckon: Beckon } };

let browser: Browser;
let demo: Demo;
let context: BrowserContext;
let problems: PageProblems;
/** The paths the visitor's pages requested, in order. */
let requested: string[];

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  await context?.close();
  await demo?.close();
});

/**
 * A fresh demo server pair and a fresh visitor (a new browser context) watching for page problems; the store runs
 * the `sdk` build of @beckon/web.
 */
async function newVisitor(sdk: 'script' | 'npm'): Promise<{ page: Page; ui: UiEvent[]; visitor: ReturnType<typeof journeyVisitor> }> {
  demo = await startDemo({ sdk });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // The visitor's anonymous id, in storage before the first page asks for it (once: "Reset visitor" makes a new one).
  const visitor = journeyVisitor();
  await context.addInitScript((id) => {
    if (sessionStorage.getItem('journey-visitor')) return;
    sessionStorage.setItem('journey-visitor', id);
    localStorage.setItem('beckon_anonymous_id', id);
  }, visitor.anonymousId);
  requested = [];
  context.on('request', (request) => void requested.push(new URL(request.url()).pathname));
  const ui = await recordUiEvents(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  problems = watchProblems(page);
  return { page, ui, visitor };
}

/** Opens a store page and waits until Beckon has loaded the catalog and decided the first page view. */
async function visit(page: Page, path: string): Promise<void> {
  await page.goto(demo.site + path);
  await started(page);
}

/** Waits until the page's Beckon has started (the npm build imports it first) and decided the first page view. */
async function started(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as unknown as Partial<StoreWindow>).demoStore !== undefined);
  await page.evaluate(() => (window as unknown as StoreWindow).demoStore.beckon.ready);
}

/** Ids of the messages on screen: in the document and open. */
function onScreen(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll('beckon-message')].filter((el) => el.isConnected && el.open && el.message).map((el) => el.message!.id).sort());
}

function explain(page: Page): Promise<Explanation[]> {
  return page.evaluate(() => (window as unknown as StoreWindow).demoStore.beckon.explain());
}

/** Waits for the UI's `beckon-shown` of `messageId` (the `n`-th one). */
function shown(ui: UiEvent[], messageId: string, n = 1): Promise<void> {
  return until(() => ui.filter((e) => e.type === 'beckon-shown' && e.messageId === messageId).length >= n, `beckon-shown of ${messageId} (#${n})`);
}

function count(ui: UiEvent[], type: UiEvent['type'], messageId: string): number {
  return ui.filter((e) => e.type === type && e.messageId === messageId).length;
}

interface StoredEvent {
  type: string;
  event?: string;
  name?: string;
  anonymousId: string;
  userId?: string;
  properties?: Record<string, unknown>;
  context?: { page?: { path?: string } };
}

/** Every event the server stored, in the order it stored them. */
function storedEvents(): StoredEvent[] {
  const db = new Database(demo.beckon.dbFile, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT body FROM events ORDER BY rowid').pluck().all() as string[]).map((body) => JSON.parse(body) as StoredEvent);
  } finally {
    db.close();
  }
}

/** Stored message events, counted as `"<event name> <message id>"`. */
function messageEventCounts(events: StoredEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of events) {
    if (e.type !== 'track' || !String(e.event).startsWith('Message ')) continue;
    const key = `${e.event} ${String(e.properties?.['message_id'])}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

async function flush(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as StoreWindow).demoStore.beckon.flush());
}

async function fetchMetrics(): Promise<Record<string, MessageMetrics>> {
  const response = await fetch(`${demo.beckon.url}/v1/metrics`);
  expect(response.status).toBe(200);
  const { messages } = (await response.json()) as { messages: MessageMetrics[] };
  return Object.fromEntries(messages.map((m) => [m.messageId, m]));
}

/** The dashboard's numbers: for each message section's heading, its table as row label → cell text. */
async function readDashboard(page: Page): Promise<Record<string, Record<string, string>>> {
  await page.goto(`${demo.beckon.url}/dashboard`);
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('section')].map((section) => [
        section.querySelector('h2 code')?.textContent ?? section.querySelector('h2')!.textContent!.trim(),
        Object.fromEntries([...section.querySelectorAll('table.totals tr')].map((row) => [row.querySelector('th')!.textContent!.trim(), row.querySelector('td')!.textContent!.trim()])),
      ]),
    ),
  );
}

// Both builds: the script tag's beckon.min.js with beckon-elements.min.js beside it, and the npm package bundled with
// its renderer as a chunk.
describe.each(['script', 'npm'] as const)('the demo store with the %s build, end to end', (sdk) => {
  it('an anonymous visitor meets every message, signs up, the anonymous messages vanish, and the numbers match', async () => {
    const { page, ui, visitor } = await newVisitor(sdk);

    // Home: the welcome banner on arrival. The visitor closes it.
    await visit(page, '/store/');
    await shown(ui, 'welcome-banner');
    expect(await onScreen(page)).toEqual(['welcome-banner']);
    const anonymousId = await page.locator('#visitor-id').textContent();
    expect(anonymousId).toBe(visitor.anonymousId);
    expect(await page.locator('#visitor-state').textContent()).toBe('anonymous');
    await page.locator('beckon-message', { hasText: 'Welcome to Lumen' }).getByRole('button', { name: 'Close' }).click();
    await until(() => count(ui, 'beckon-dismiss', 'welcome-banner') === 1, 'the banner dismissed');

    // A product: the inline offer in its slot; the coupon only once the visitor scrolled half-way.
    await page.locator('.card a', { hasText: 'Arc floor lamp' }).click();
    await page.waitForURL('**/store/products/arc-lamp');
    await started(page);
    await shown(ui, 'bundle-offer');
    expect(await page.evaluate(() => document.querySelector<HTMLElementTagNameMap['beckon-message']>('beckon-slot[name="product-offer"] beckon-message')?.message?.id)).toBe('bundle-offer');
    // The offer is an experiment: the visitor sees their variant's words.
    const offerTitle = visitor.variant.content?.title ?? 'Members save on bundles';
    const offerTitleShown = () => page.evaluate(() => document.querySelector<HTMLElementTagNameMap['beckon-message']>('beckon-slot[name="product-offer"] beckon-message')!.message!.content.title);
    expect(await offerTitleShown()).toBe(offerTitle);
    await expect.poll(() => page.locator('beckon-slot[name="product-offer"] beckon-message').evaluate((el) => el.shadowRoot?.textContent ?? '')).toContain(offerTitle);
    const coupon = (await explain(page)).find((e) => e.id === 'first-order-coupon')!;
    expect(coupon).toMatchObject({ show: true, trigger: { scrollPercent: 50 } });
    await page.waitForTimeout(300);
    expect(await onScreen(page)).toEqual(['bundle-offer']);
    await page.mouse.move(640, 450);
    // Wheel down in small steps to just short of half-way, letting each scroll settle.
    const depth = () => page.evaluate(() => (scrollY + innerHeight) / document.documentElement.scrollHeight);
    while ((await depth()) < 0.4) {
      const before = await page.evaluate(() => scrollY);
      await page.mouse.wheel(0, 80);
      await page.waitForFunction((y) => scrollY > y, before);
    }
    await page.waitForTimeout(300);
    expect(await depth()).toBeLessThan(0.5);
    expect(count(ui, 'beckon-shown', 'first-order-coupon')).toBe(0); // not before half-way
    await page.mouse.wheel(0, 600);
    await shown(ui, 'first-order-coupon');
    const dialog = page.getByRole('dialog', { name: '10% off your first order' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'No thanks' }).click();
    await until(() => count(ui, 'beckon-dismiss', 'first-order-coupon') === 1, 'the coupon dismissed');

    // Pricing: nothing until the pointer leaves through the top of the window, then the popup.
    await visit(page, '/store/pricing');
    expect((await explain(page)).find((e) => e.id === 'pricing-exit')).toMatchObject({ show: true, trigger: { exitIntent: true } });
    await page.mouse.move(640, 400);
    await page.waitForTimeout(300);
    expect(await onScreen(page)).toEqual([]);
    await page.mouse.move(640, 10, { steps: 4 });
    await page.mouse.move(640, -10);
    await shown(ui, 'pricing-exit');
    // Its action leads to the sign-up page.
    await page.locator('beckon-message', { hasText: 'Before you go' }).getByRole('link', { name: 'Join free' }).click();
    await page.waitForURL('**/store/signup');
    await started(page);

    // Sign-up: the anonymous-only perks card is there until the visitor identifies, then vanishes.
    await shown(ui, 'signup-perks');
    expect(await onScreen(page)).toEqual(['signup-perks']);
    await page.getByLabel('Name').fill('Ada');
    await page.getByLabel('Email').fill('Ada@Example.com');
    await page.getByRole('button', { name: 'Create account' }).click();
    await until(async () => !(await onScreen(page)).includes('signup-perks'), 'the anonymous message to vanish');
    expect(await page.locator('#signup-done').isVisible()).toBe(true);
    expect(await page.locator('#visitor-state').textContent()).toBe('signed up as ada@example.com');
    // Closing on identify is not a dismissal.
    expect(count(ui, 'beckon-dismiss', 'signup-perks')).toBe(0);
    // The members' message is for identified visitors.
    await shown(ui, 'member-welcome');

    // Back on a product page, signed up: no anonymous message, each for the reason "audience".
    await visit(page, '/store/products/arc-lamp');
    await page.mouse.wheel(0, 3000);
    await page.waitForTimeout(300);
    expect(await onScreen(page)).toEqual([]);
    const reasons = Object.fromEntries((await explain(page)).map((e) => [e.id, e.reason]));
    for (const id of ANONYMOUS_MESSAGES) expect(reasons[id], id).toBe('audience');
    expect(reasons['member-welcome']).toBe('frequency:maxShows');
    await flush(page);

    // The server stored every event exactly once: as many as the page fired, no more, no fewer.
    const expected = {
      'Message Shown welcome-banner': 1,
      'Message Dismissed welcome-banner': 1,
      'Message Shown bundle-offer': 1,
      'Message Shown first-order-coupon': 1,
      'Message Clicked first-order-coupon': 1,
      'Message Dismissed first-order-coupon': 1,
      'Message Shown pricing-exit': 1,
      'Message Clicked pricing-exit': 1,
      'Message Shown signup-perks': 1,
      'Message Shown member-welcome': 1,
    };
    // Wait for the last batch to be stored, then compare (a timeout still shows the difference below).
    const total = Object.values(expected).reduce((a, b) => a + b, 0);
    await until(() => Object.values(messageEventCounts(storedEvents())).reduce((a, b) => a + b, 0) >= total, 'the stored message events', 10_000).catch(() => undefined);
    const events = storedEvents();
    expect(messageEventCounts(events)).toStrictEqual(expected);
    for (const [key, n] of Object.entries(expected)) {
      const [, kind, id] = /^Message (\w+) (.+)$/.exec(key)!;
      const type = ({ Shown: 'beckon-shown', Clicked: 'beckon-action', Dismissed: 'beckon-dismiss' } as const)[kind as 'Shown' | 'Clicked' | 'Dismissed'];
      expect(count(ui, type, id!), `${type} ${id}`).toBe(n);
    }
    expect(events.filter((e) => e.type === 'identify')).toMatchObject([{ anonymousId, userId: 'ada@example.com', traits: { email: 'ada@example.com', name: 'Ada' } }]);
    expect(events.filter((e) => e.type === 'page').map((e) => e.context?.page?.path)).toEqual(['/store/', '/store/products/arc-lamp', '/store/pricing', '/store/signup', '/store/products/arc-lamp']);
    expect(new Set(events.map((e) => e.anonymousId))).toEqual(new Set([anonymousId]));
    expect(events.find((e) => e.event === 'Message Clicked' && e.properties?.['message_id'] === 'pricing-exit')?.properties).toMatchObject({ action_id: 'signup', url: '/store/signup' });
    expect(events.find((e) => e.event === 'Message Shown' && e.properties?.['message_id'] === 'bundle-offer')?.properties).toMatchObject({ variant_id: visitor.variant.id });

    // /v1/metrics: everything the anonymous visitor saw converted when they signed up; the members' message came after.
    const metrics = await fetchMetrics();
    const converted = { impressions: 1, uniqueViewers: 1, conversions: 1, conversionRate: 1, lift: null };
    expect(metrics['welcome-banner']).toMatchObject({ ...converted, clicks: 0, dismissals: 1 });
    expect(metrics['first-order-coupon']).toMatchObject({ ...converted, clicks: 1, clickers: 1, clickThroughRate: 1, dismissals: 1 });
    expect(metrics['pricing-exit']).toMatchObject({ ...converted, clicks: 1, dismissals: 0 });
    expect(metrics['bundle-offer']).toMatchObject({ ...converted, clicks: 0, dismissals: 0 });
    // Per variant: the visitor's converted; the other has no one yet.
    expect(metrics['bundle-offer']!.variants!.map((v) => [v.variantId, v.uniqueViewers, v.conversions])).toEqual(
      BUNDLE.variants.map((v) => [v.id, v.id === visitor.variant.id ? 1 : 0, v.id === visitor.variant.id ? 1 : 0]),
    );
    expect(metrics['signup-perks']).toMatchObject(converted);
    expect(metrics['member-welcome']).toMatchObject({ impressions: 1, uniqueViewers: 1, conversions: 0, conversionRate: 0 });
    expect(Object.keys(metrics).sort()).toEqual([...ANONYMOUS_MESSAGES, 'member-welcome'].sort());

    // The dashboard says the same.
    const dashboard = await readDashboard(page);
    for (const [id, m] of Object.entries(metrics)) {
      expect(dashboard[id], id).toMatchObject({
        Impressions: String(m.impressions),
        'Unique viewers': String(m.uniqueViewers),
        'Clicks / clickers': `${m.clicks} / ${m.clickers}`,
        Dismissals: String(m.dismissals),
        Conversions: String(m.conversions),
        'Conversion rate': `${(m.conversionRate * 100).toFixed(1)}%`,
      });
    }

    // The experiment's variants side by side, with the control group.
    expect(await page.locator('section:has(h2 code:text-is("bundle-offer")) table.variants th[scope="col"]').allTextContents()).toEqual([
      ...BUNDLE.variants.map((v) => v.id),
      'Control',
    ]);

    // The renderer came from where this build keeps it: beside beckon.min.js, or a chunk of the store's bundle.
    expect(requested.includes('/assets/beckon-elements.min.js')).toBe(sdk === 'script');

    // "Reset visitor" starts over as a new anonymous visitor, who is welcomed again.
    await visit(page, '/store/pricing');
    await page.getByRole('button', { name: 'Reset visitor' }).click();
    await page.waitForURL('**/store/');
    await shown(ui, 'welcome-banner', 2);
    expect(await page.locator('#visitor-state').textContent()).toBe('anonymous');
    const newId = await page.locator('#visitor-id').textContent();
    expect(newId).not.toBe(anonymousId);
    expect(newId).toBe(await page.evaluate(() => (window as unknown as StoreWindow).demoStore.beckon.anonymousId));
    expect(problems.errors).toEqual([]);
  }, 120_000);

  it('the welcome banner shows at most 3 times, a day apart', async () => {
    const { page, ui } = await newVisitor(sdk);
    const start = Date.now() - 4 * DAY;
    const visits: Array<[at: number, shows: boolean, reason?: string]> = [
      [start, true],
      [start + 60 * 60_000, false, 'frequency:minInterval'],
      [start + DAY + 60_000, true],
      [start + DAY + 2 * 60 * 60_000, false, 'frequency:minInterval'],
      [start + 2 * DAY + 2 * 60_000, true],
      [start + 3 * DAY + 3 * 60_000, false, 'frequency:maxShows'],
    ];
    let times = 0;
    for (const [at, shows, reason] of visits) {
      await page.clock.setFixedTime(at);
      await visit(page, '/store/pricing');
      const banner = (await explain(page)).find((e) => e.id === 'welcome-banner');
      if (shows) {
        await shown(ui, 'welcome-banner', ++times);
      } else {
        expect(banner, new Date(at).toISOString()).toMatchObject({ show: false, reason });
        await page.waitForTimeout(200);
        expect(await onScreen(page)).not.toContain('welcome-banner');
      }
    }
    await flush(page);
    await until(() => messageEventCounts(storedEvents())['Message Shown welcome-banner'] === 3, 'three stored shows');
    expect((await fetchMetrics())['welcome-banner']).toMatchObject({ impressions: 3, uniqueViewers: 1, conversions: 0 });
    expect(problems.errors).toEqual([]);
  }, 60_000);
});
