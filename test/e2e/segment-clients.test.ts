// Segment-protocol libraries from npm, each with a write key, against the real `beckon serve` on
// loopback: @segment/analytics-node, @rudderstack/rudder-sdk-node (gzip, form content type, no
// per-event timestamp), and @segment/analytics-next in Chromium (settings inline, API host `<beckon>/v1`).
// Each sends the same story and checks that every event is stored exactly once and counted by /v1/metrics.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Analytics as SegmentNode } from '@segment/analytics-node';
import RudderNode from '@rudderstack/rudder-sdk-node';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listeningUrl } from '../listening.js';
import { until } from '../waiting.js';
import { bundleCli, Database, TEST_CATALOG } from './server-harness.js';
import { launchChromium } from '../browser.js';

const WRITE_KEY = 'w-segment-test';
const READ_KEY = 'r-segment-test';

let cli: string;
beforeAll(async () => {
  cli = await bundleCli('segment-clients-cli');
});

interface Beckon {
  url: string;
  db: string;
  child: ChildProcess;
}

let dir: string;
let beckon: Beckon;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'beckon-segment-'));
  writeFileSync(join(dir, 'messages.json'), JSON.stringify(TEST_CATALOG));
  const db = join(dir, 'beckon.sqlite');
  const args = ['serve', '--catalog', 'messages.json', '--db', db, '--port', '0', '--write-key', WRITE_KEY, '--read-key', READ_KEY];
  const child = spawn(process.execPath, [cli, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await listeningUrl(child);
  beckon = { url, db, child };
});
afterEach(async () => {
  if (beckon.child.exitCode === null) {
    const closed = new Promise((resolve) => beckon.child.once('close', resolve));
    beckon.child.kill('SIGTERM');
    await closed;
  }
  rmSync(dir, { recursive: true, force: true });
});

interface Row {
  event_id: string;
  type: string;
  name: string | null;
  anonymous_id: string;
  user_id: string | null;
}

function stored(): Row[] {
  const db = new Database(beckon.db, { readonly: true });
  try {
    return db.prepare('SELECT event_id, type, name, anonymous_id, user_id FROM events ORDER BY seq').all() as Row[];
  } finally {
    db.close();
  }
}

/** The story every client tells, as `type name` lines: three visitors see the coupon, two convert. */
const STORY = [
  'page Pricing',
  'track Message Shown',
  'track Message Shown',
  'track Message Shown',
  'track Message Clicked',
  'identify',
  'track Order Completed',
  'screen Home',
  'alias',
  'group',
  'track Order Completed',
].sort();

/**
 * Checks what the server holds after a client told the story: each sent id stored once and nothing
 * else, and the coupon's numbers: 3 impressions by 3 viewers, 1 click, and 2 conversions (one through
 * identify, one through alias).
 */
async function expectStoryStored(sentIds: readonly string[]): Promise<void> {
  const rows = stored();
  expect(rows.map((row) => [row.type, row.name].filter(Boolean).join(' ')).sort()).toEqual(STORY);
  expect(rows.map((row) => row.event_id).sort()).toEqual([...sentIds].sort());
  expect(new Set(sentIds).size).toBe(STORY.length);
  const response = await fetch(`${beckon.url}/v1/metrics`, { headers: { 'x-beckon-read-key': READ_KEY } });
  const { messages } = (await response.json()) as { messages: Array<Record<string, unknown>> };
  expect(messages).toEqual([
    expect.objectContaining({ messageId: 'coupon', impressions: 3, uniqueViewers: 3, clicks: 1, conversions: 2 }),
  ]);
}

const shown = { message_id: 'coupon', layout: 'modal' };

describe('@segment/analytics-node', () => {
  it('delivers every call, stored once each and counted by /v1/metrics', async () => {
    const errors: unknown[] = [];
    const analytics = new SegmentNode({ writeKey: WRITE_KEY, host: beckon.url, path: '/v1/batch', flushAt: 4, flushInterval: 50, maxRetries: 3 });
    analytics.on('error', (error) => errors.push(error));
    const sentIds: string[] = [];
    const sent = (error?: unknown, ctx?: { event: { messageId?: string } }) => {
      if (error) errors.push(error);
      if (ctx?.event.messageId) sentIds.push(ctx.event.messageId);
    };
    // Explicit times a second apart: the conversions come after the shows whatever the batching.
    let t = Date.now() - 60_000;
    const at = () => new Date((t += 1000));
    analytics.page({ anonymousId: 'n-a1', name: 'Pricing', properties: { path: '/pricing' }, timestamp: at() }, sent);
    for (const id of ['n-a1', 'n-a2', 'n-a3']) analytics.track({ anonymousId: id, event: 'Message Shown', properties: shown, timestamp: at() }, sent);
    analytics.track({ anonymousId: 'n-a1', event: 'Message Clicked', properties: { message_id: 'coupon', action_id: 'ok' }, timestamp: at() }, sent);
    analytics.identify({ anonymousId: 'n-a1', userId: 'n-u1', traits: { plan: 'pro' }, timestamp: at() }, sent);
    analytics.track({ userId: 'n-u1', anonymousId: 'n-a1', event: 'Order Completed', timestamp: at() }, sent);
    analytics.screen({ anonymousId: 'n-a2', name: 'Home', timestamp: at() }, sent);
    analytics.alias({ previousId: 'n-a2', userId: 'n-u2', timestamp: at() }, sent);
    analytics.group({ anonymousId: 'n-a3', groupId: 'acme', traits: { name: 'Acme' }, timestamp: at() }, sent);
    analytics.track({ userId: 'n-u2', anonymousId: 'n-a2', event: 'Order Completed', timestamp: at() }, sent);
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors).toEqual([]);
    await expectStoryStored(sentIds);
  });
});

describe('a backend that knows only the user', () => {
  it('sends events with a userId and no anonymousId: stored for that user, crediting the message they saw before signing in', async () => {
    const errors: unknown[] = [];
    const analytics = new SegmentNode({ writeKey: WRITE_KEY, host: beckon.url, path: '/v1/batch', flushAt: 10, flushInterval: 50, maxRetries: 3 });
    analytics.on('error', (error) => errors.push(error));
    let t = Date.now() - 60_000;
    const at = () => new Date((t += 1000));
    // The browser's part: shown anonymously, then signed in.
    analytics.track({ anonymousId: 'b-a1', event: 'Message Shown', properties: shown, timestamp: at() });
    analytics.identify({ anonymousId: 'b-a1', userId: 'b-u1', timestamp: at() });
    // The backend's part: it knows only the user.
    analytics.identify({ userId: 'b-u1', traits: { plan: 'pro' }, timestamp: at() });
    analytics.track({ userId: 'b-u1', event: 'Order Completed', timestamp: at() });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors).toEqual([]);
    expect(stored().map((row) => [row.type, row.name ?? '', row.anonymous_id, row.user_id ?? ''].join(' '))).toEqual([
      'track Message Shown b-a1 ',
      'identify  b-a1 b-u1',
      'identify  user:b-u1 b-u1',
      'track Order Completed user:b-u1 b-u1',
    ]);
    const response = await fetch(`${beckon.url}/v1/metrics`, { headers: { 'x-beckon-read-key': READ_KEY } });
    const { messages } = (await response.json()) as { messages: Array<Record<string, unknown>> };
    expect(messages).toEqual([expect.objectContaining({ messageId: 'coupon', uniqueViewers: 1, conversions: 1 })]);
  });
});

describe('@rudderstack/rudder-sdk-node', () => {
  it('delivers gzip batches with originalTimestamp and sentAt, stored once each and counted by /v1/metrics', async () => {
    const errors: unknown[] = [];
    const sentIds: string[] = [];
    const client = new RudderNode(WRITE_KEY, {
      dataPlaneUrl: beckon.url,
      flushAt: 20,
      flushInterval: 60_000,
      retryCount: 2,
      errorHandler: (error: unknown) => errors.push(error),
      // Sees each event as it will be sent, with the messageId the client gave it.
      beforeEnqueue: (event) => {
        sentIds.push(event.messageId);
        return event;
      },
    });
    client.page({ anonymousId: 'r-a1', name: 'Pricing', properties: { path: '/pricing' } });
    for (const anonymousId of ['r-a1', 'r-a2', 'r-a3']) client.track({ anonymousId, event: 'Message Shown', properties: shown });
    client.track({ anonymousId: 'r-a1', event: 'Message Clicked', properties: { message_id: 'coupon', action_id: 'ok' } });
    client.identify({ anonymousId: 'r-a1', userId: 'r-u1', traits: { plan: 'pro' } });
    client.track({ anonymousId: 'r-a1', userId: 'r-u1', event: 'Order Completed' });
    client.screen({ anonymousId: 'r-a2', name: 'Home' });
    client.alias({ previousId: 'r-a2', userId: 'r-u2' });
    client.group({ anonymousId: 'r-a3', groupId: 'acme', traits: { name: 'Acme' } });
    client.track({ anonymousId: 'r-a2', userId: 'r-u2', event: 'Order Completed' });
    await client.flush();
    await until(stored, (rows) => rows.length >= STORY.length, 'the batch at the server');
    expect(errors).toEqual([]);
    await expectStoryStored(sentIds);
  });
});

describe('@segment/analytics-next in Chromium', () => {
  let browser: Browser;
  let site: Server;
  let siteUrl: string;
  beforeAll(async () => {
    // analytics.js bundled for the page from the npm package: nothing is loaded from a CDN.
    const entry = join(mkdtempSync(join(tmpdir(), 'beckon-ajs-')), 'entry.js');
    writeFileSync(entry, "import { AnalyticsBrowser } from '@segment/analytics-next';\nwindow.AnalyticsBrowser = AnalyticsBrowser;\n");
    const { outputFiles } = await build({
      entryPoints: [entry],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      write: false,
      logLevel: 'warning',
      nodePaths: [fileURLToPath(new URL('../../node_modules', import.meta.url))],
    });
    rmSync(join(entry, '..'), { recursive: true, force: true });
    const script = outputFiles[0]!.text;
    site = createServer((req, res) => {
      if (req.url === '/analytics.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      if (req.url === '/favicon.ico') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Shop</title><script src="/analytics.js"></script>');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => site?.close(resolve));
  });

  /** The calls each visitor's page makes, by name, with their arguments. */
  const VISITS: ReadonlyArray<ReadonlyArray<[string, ...unknown[]]>> = [
    [['page', 'Pricing', { path: '/pricing' }], ['track', 'Message Shown', shown], ['track', 'Message Clicked', { message_id: 'coupon', action_id: 'ok' }],
      ['identify', 'b-u1', { plan: 'pro' }], ['track', 'Order Completed', {}]],
    [['track', 'Message Shown', shown], ['alias', 'b-u2'], ['identify', 'b-u2', {}], ['track', 'Order Completed', {}]],
    [['track', 'Message Shown', shown], ['group', 'acme', { name: 'Acme' }], ['screen', 'Home', {}]],
  ];

  /** One visitor: a fresh browser context loads the page and makes `calls`; resolves with the ids sent, once stored. */
  async function visit(strategy: 'standard' | 'batching', calls: ReadonlyArray<[string, ...unknown[]]>, requested: string[]) {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      page.on('request', (request) => requested.push(request.url()));
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.goto(siteUrl);
      const apiHost = `${new URL(beckon.url).host}/v1`;
      const ids = await page.evaluate(
        async ({ writeKey, apiHost, strategy, calls }) => {
          type Analytics = Record<string, (...args: unknown[]) => Promise<{ event: { messageId?: string } }>>;
          const { AnalyticsBrowser } = window as unknown as {
            AnalyticsBrowser: { load(settings: object, options: object): Promise<[Analytics, unknown]> };
          };
          const deliveryStrategy = strategy === 'batching' ? { strategy: 'batching', config: { size: 20, timeout: 200 } } : undefined;
          const [analytics] = await AnalyticsBrowser.load(
            {
              writeKey,
              // The settings analytics.js would fetch from its CDN, given inline: it fetches nothing.
              cdnSettings: { integrations: { 'Segment.io': { apiKey: writeKey, apiHost, protocol: 'http', deliveryStrategy } }, metrics: { sampleRate: 0 } },
            },
            { disableClientPersistence: true },
          );
          const sent: string[] = [];
          for (const [name, ...args] of calls) sent.push((await analytics[name]!(...args)).event.messageId!);
          return sent;
        },
        { writeKey: WRITE_KEY, apiHost, strategy, calls },
      );
      expect(pageErrors).toEqual([]);
      // The page stays open until its events are stored (the batching one sends after its timeout).
      await until(stored, (rows) => ids.every((id) => rows.some((row) => row.event_id === id)), 'the visitor’s events at the server');
      return ids;
    } finally {
      await context.close();
    }
  }

  for (const strategy of ['standard', 'batching'] as const) {
    it(`delivers every call (${strategy} delivery, to ${strategy === 'standard' ? '/v1/t, /v1/p, …' : '/v1/b'}), stored once each and counted`, async () => {
      const requested: string[] = [];
      const sentIds: string[] = [];
      for (const calls of VISITS) sentIds.push(...(await visit(strategy, calls, requested)));
      // Everything the pages asked for came from the site or Beckon, on loopback.
      expect(requested.filter((url) => !url.startsWith(siteUrl) && !url.startsWith(beckon.url))).toEqual([]);
      const paths = new Set(requested.filter((url) => url.startsWith(beckon.url)).map((url) => new URL(url).pathname));
      expect([...paths].sort()).toEqual(strategy === 'batching' ? ['/v1/b'] : ['/v1/a', '/v1/g', '/v1/i', '/v1/p', '/v1/s', '/v1/t']);
      const rows = stored();
      expect(rows.map((row) => [row.type, row.name].filter(Boolean).join(' ')).sort()).toEqual([...STORY, 'identify'].sort());
      expect(rows.map((row) => row.event_id).sort()).toEqual([...sentIds].sort());
      expect(rows.find((row) => row.type === 'alias')).toMatchObject({ user_id: 'b-u2' });
      const response = await fetch(`${beckon.url}/v1/metrics`, { headers: { 'x-beckon-read-key': READ_KEY } });
      const { messages } = (await response.json()) as { messages: Array<Record<string, unknown>> };
      expect(messages).toEqual([
        expect.objectContaining({ messageId: 'coupon', impressions: 3, uniqueViewers: 3, clicks: 1, conversions: 2 }),
      ]);
    });
  }
});
