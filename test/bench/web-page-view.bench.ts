// @beckon/web on a real page view in Chromium, as a site's visitors meet it: the built beckon.min.js from a <script>
// tag, beckon-elements.min.js beside it (kept in the browser's HTTP cache), a fresh page per sample.
//   1. createBeckon → beckon-shown of a modal, with the renderer in the browser cache (no slowdown).
//   2. Main-thread time Beckon adds to a page view with a 4× CPU slowdown (a mid-range phone): Chromium's own task,
//      script, style and layout time (CDP Performance.getMetrics) minus the same page without Beckon; and every
//      long task (over 50 ms) of the page, for a page with no eligible message and for one with a modal.
// Run with `pnpm bench web` (after `pnpm build`, which this builds when dist is missing).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { compileCatalog, type Message } from '@beckon/rules';
import { formatDuration, printTable } from './table.js';
import { launchChromium } from '../browser.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = path.join(root, 'packages', 'web', 'dist');
const SAMPLES = 9;

if (!existsSync(path.join(dist, 'beckon-elements.min.js'))) {
  const built = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), 'rules', 'elements', 'tracking', 'engine', 'web'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('pnpm build failed');
}

const modal: Message = {
  id: 'coupon',
  pages: { include: ['/modal'] },
  layout: { type: 'modal' },
  content: { title: '10% off your first order', body: 'Create an account and the **code** is _yours_.', actions: [{ id: 'signup', label: 'Create account', url: '/signup', style: 'primary' }] },
};
/** 99 messages for other pages beside it: a catalog of a real site's size, none for `/none`. */
const others: Message[] = Array.from({ length: 99 }, (_, i) => ({ ...modal, id: `other-${i}`, pages: { include: [`/section-${i}/**`] }, layout: { type: i % 2 ? 'banner' : 'popup' } }));
const catalog = JSON.stringify(compileCatalog([modal, ...others]));

/** A plain article page; `beckon` says whether it starts Beckon (the baseline does not). */
function page(beckon: boolean): string {
  const article = Array.from({ length: 20 }, (_, i) => `<p>Paragraph ${i} of an ordinary article page, with a <a href="#">link</a>.</p>`).join('');
  const start = `<script src="/beckon.min.js"></script>
<script>
  document.addEventListener('beckon-shown', () => performance.mark('shown'), { once: true });
  performance.mark('create');
  window.sdk = beckon.createBeckon({ catalog: ${catalog} });
  sdk.ready.then(() => performance.mark('ready'));
</script>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Article</title>
<script>
  window.longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });
</script></head><body><h1>An article</h1>${article}${beckon ? start : ''}</body></html>`;
}

const files: Record<string, string> = {
  '/beckon.min.js': readFileSync(path.join(dist, 'beckon.min.js'), 'utf8'),
  '/beckon-elements.min.js': readFileSync(path.join(dist, 'beckon-elements.min.js'), 'utf8'),
};
const server = createServer((req, res) => {
  const pathname = new URL(req.url ?? '/', 'http://bench').pathname;
  const file = files[pathname];
  // The scripts stay in the HTTP cache, as a CDN's would; pages are always fetched.
  if (file) return void res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'max-age=3600' }).end(file);
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page(pathname !== '/baseline'));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const browser = await launchChromium();

/** What one page view cost: main-thread metrics in ms, the long tasks, and Beckon's own timings. */
interface Sample {
  task: number;
  script: number;
  styleLayout: number;
  longTasks: number[];
  /** createBeckon → beckon-shown (modal) or → ready (none), ms. */
  beckon: number;
}

/** Loads `pathname` in a fresh page of `context` (`slowdown`× CPU) and waits until Beckon is done with it. */
async function visit(context: BrowserContext, pathname: string, slowdown: number): Promise<Sample> {
  const tab = await context.newPage();
  const cdp = await context.newCDPSession(tab);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown });
  await cdp.send('Performance.enable');
  await tab.goto(origin + pathname);
  const until = pathname === '/modal' ? 'shown' : pathname === '/none' ? 'ready' : undefined;
  if (until) await tab.waitForFunction((name) => performance.getEntriesByName(name).length > 0, until);
  // Two frames after: the message's first render is painted, and nothing of Beckon's is still queued.
  await tab.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  const metric = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
  // (A string, not a function: tsx would add helpers to a function's inner names that the page does not have.)
  const since = until ? `performance.getEntriesByName('${until}')[0].startTime - performance.getEntriesByName('create')[0].startTime` : 'NaN';
  const page = (await tab.evaluate(`({ longTasks: window.longTasks, beckon: ${since} })`)) as { longTasks: number[]; beckon: number };
  await tab.close();
  return { task: metric('TaskDuration'), script: metric('ScriptDuration'), styleLayout: metric('RecalcStyleDuration') + metric('LayoutDuration'), ...page };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

/** Samples each page `SAMPLES` times in one context, after one visit that fills the HTTP cache. */
async function run(slowdown: number): Promise<Record<string, Sample[]>> {
  const context = await browser.newContext();
  const samples: Record<string, Sample[]> = { '/baseline': [], '/none': [], '/modal': [] };
  await visit(context, '/modal', 1);
  for (let i = 0; i < SAMPLES; i++) for (const pathname of Object.keys(samples)) samples[pathname]!.push(await visit(context, pathname, slowdown));
  await context.close();
  return samples;
}

try {
  const fast = await run(1);
  printTable(`@beckon/web in Chromium, fresh page views, renderer in the HTTP cache: createBeckon → beckon-shown (${SAMPLES} page views)`, [
    { page: 'a modal for this page (100 messages)', median: formatDuration(median(fast['/modal']!.map((s) => s.beckon))), max: formatDuration(Math.max(...fast['/modal']!.map((s) => s.beckon))) },
    { page: 'no eligible message: createBeckon → ready', median: formatDuration(median(fast['/none']!.map((s) => s.beckon))), max: formatDuration(Math.max(...fast['/none']!.map((s) => s.beckon))) },
  ]);
  const slow = await run(4);
  const base = slow['/baseline']!;
  const extra = (samples: Sample[], key: 'task' | 'script' | 'styleLayout') => formatDuration(median(samples.map((s) => s[key])) - median(base.map((s) => s[key])));
  const longTasks = (samples: Sample[]) => {
    const all = samples.flatMap((s) => s.longTasks);
    return all.length ? `${all.length} in ${samples.length} views (longest ${formatDuration(Math.max(...all))})` : 'none';
  };
  printTable(`Main-thread time Beckon adds to a page view, 4× CPU slowdown (median of ${SAMPLES}, minus the same page without Beckon)`, [
    ...(['/none', '/modal'] as const).map((pathname) => ({
      page: pathname === '/none' ? 'no eligible message' : 'a modal',
      'main thread (all tasks)': extra(slow[pathname]!, 'task'),
      script: extra(slow[pathname]!, 'script'),
      'style + layout': extra(slow[pathname]!, 'styleLayout'),
      'createBeckon → shown / ready': formatDuration(median(slow[pathname]!.map((s) => s.beckon))),
      'long tasks (> 50 ms)': longTasks(slow[pathname]!),
    })),
    { page: 'baseline: the page without Beckon', 'main thread (all tasks)': formatDuration(median(base.map((s) => s.task))), script: formatDuration(median(base.map((s) => s.script))), 'style + layout': formatDuration(median(base.map((s) => s.styleLayout))), 'createBeckon → shown / ready': '-', 'long tasks (> 50 ms)': longTasks(base) },
  ]);
} finally {
  await browser.close();
  server.close();
}
