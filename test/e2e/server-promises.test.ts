// What the server's README promises, through its public faces only (the `beckon` command, HTTP, the
// exported functions): the second Ctrl-C, --host and the warnings for a public address, close()
// cutting requests after 10 s, openStore, decide's `acted` reason and trigger events, empty bodies.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openStore } from '@beckon/server';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bundleCli, makeEvent, messageEvent, postJson, startTestServer, TEST_CATALOG, type TestServer } from './server-harness.js';

let cli: string;
beforeAll(async () => {
  cli = await bundleCli('test-cli-promises');
});

let dir: string;
let server: TestServer | undefined;
const children: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'beckon-promises-'));
  writeFileSync(join(dir, 'messages.json'), JSON.stringify(TEST_CATALOG));
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** `beckon serve` with `args`: resolves once it listens, with its URL and its output so far and to come. */
async function serve(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [cli, 'serve', '--catalog', 'messages.json', '--db', join(dir, 'b.sqlite'), '--port', '0', ...args], {
    cwd: dir,
    env: { ...process.env, BECKON_READ_KEY: '', BECKON_WRITE_KEY: '', ...env },
  });
  children.push(child);
  const output = { stdout: '', stderr: '' };
  child.stderr!.on('data', (chunk: Buffer) => (output.stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.stdout += `${line}\n`;
      const match = /listening on (\S+)/.exec(line);
      if (match) resolve(match[1]!);
    });
    void exited.then(() => reject(new Error(`serve exited early: ${output.stderr}`)));
  });
  /** Resolves once stderr holds `text`. */
  const said = (text: string) =>
    new Promise<void>((resolve) => {
      const check = () => output.stderr.includes(text) && (child.stderr!.off('data', check), resolve());
      child.stderr!.on('data', check);
      check();
    });
  return { child, url, output, exited, said };
}

/** The messages of the warn entries in the CLI's log (JSON lines on stderr when it is not a terminal). */
const warnings = (stderr: string): unknown[] =>
  stderr.trim().split('\n').map((line) => JSON.parse(line) as { level: string; msg: string }).filter((e) => e.level === 'warn').map((e) => e.msg);

/** A POST /v1/batch whose body is only half sent: the request stays in flight until `finish`. */
function halfSentBatch(url: string) {
  const body = JSON.stringify({ batch: [makeEvent()] });
  const req = request(`${url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
  const outcome = new Promise<string>((resolve) => {
    req.on('response', (res) => resolve(`status ${res.statusCode}`));
    req.on('error', (error) => resolve(`error ${(error as NodeJS.ErrnoException).code ?? error.message}`));
  });
  req.write(body.slice(0, 10));
  return { outcome, finish: () => req.end(body.slice(10)) };
}

describe('beckon serve, from outside', () => {
  it('quits at once on a second Ctrl-C while requests are still in flight (exit code 130)', async () => {
    const { child, url, exited, said } = await serve([]);
    const inFlight = halfSentBatch(url);
    await expect.poll(async () => (await fetch(`${url}/v1/health`)).status).toBe(200);
    child.kill('SIGINT');
    await said('SIGINT received, finishing requests in flight');
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    // It did not wait for the request: the connection went with the process.
    expect(await inFlight.outcome).toMatch(/^error /);
  });

  it('--host 0.0.0.0 listens on every interface and warns once for each missing key and for no origin', async () => {
    const { child, url, output, exited } = await serve(['--host', '0.0.0.0']);
    expect(url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    const port = new URL(url).port;
    expect((await fetch(`http://127.0.0.1:${port}/v1/health`)).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(warnings(output.stderr)).toEqual([
      'no --read-key: anyone who can reach this address can read metrics and the dashboard',
      'no --write-key: anyone who can reach this address can send events',
      'no --origin: browsers on other origins cannot call the API',
    ]);
  });

  it('gives no warning on a public address with keys and an origin, nor on loopback without them', async () => {
    for (const args of [['--host', '0.0.0.0', '--read-key', 'r', '--write-key', 'w', '--origin', 'https://shop.example'], []]) {
      const { child, output, exited } = await serve(args);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output.stderr).toContain('stopped, database closed');
      expect(warnings(output.stderr)).toEqual([]);
    }
  });
});

describe('listen().close()', () => {
  it('lets a request in flight finish, but cuts it after 10 s', { timeout: 60_000 }, async () => {
    server = await startTestServer();
    const finished = halfSentBatch(server.url);
    const cut = halfSentBatch(server.url);
    await expect.poll(async () => (await fetch(`${server!.url}/v1/health`)).status).toBe(200);
    const started = Date.now();
    const closing = server.close();
    server = undefined;
    finished.finish();
    expect(await finished.outcome).toBe('status 200');
    expect(await cut.outcome).toMatch(/^error /);
    const waited = Date.now() - started;
    await closing;
    expect(waited).toBeGreaterThanOrEqual(10_000);
    expect(waited).toBeLessThan(20_000);
  });
});

describe('openStore', () => {
  it('stores batches and answers metrics and ping on the database without HTTP', async () => {
    const at = Date.parse('2026-01-10T12:00:00Z');
    const store = await openStore(join(dir, 'store.sqlite'), { now: () => at });
    try {
      const shown = messageEvent('Message Shown', 'coupon', { anonymousId: 'v1', timestamp: new Date(at).toISOString() });
      const clicked = messageEvent('Message Clicked', 'coupon', { anonymousId: 'v1', timestamp: new Date(at + 1000).toISOString() });
      expect(await store.insertBatch([shown, clicked, shown])).toEqual({ accepted: 2, duplicates: 1 });
      const [coupon] = await store.metrics({ from: at - 60_000, to: at + 60_000 });
      expect(coupon).toMatchObject({ messageId: 'coupon', impressions: 1, uniqueViewers: 1, clicks: 1 });
      expect(await store.ping()).toMatchObject({ engine: 'sqlite', ok: true });
    } finally {
      await store.close();
    }
  });
});

describe('POST /v1/decide and /v1/batch, promises of the README', () => {
  const content = { title: 'Hello' };
  const CATALOG = {
    messages: [
      { id: 'coupon', pages: { include: ['/pricing'] }, layout: { type: 'modal' }, content },
      { id: 'third-page', pages: { include: ['/docs/**'] }, trigger: { minPageViews: 3 }, layout: { type: 'popup' }, content },
    ],
  };
  const decide = async (body: Record<string, unknown>) => {
    const response = await postJson(`${server!.url}/v1/decide`, body);
    expect(response.status).toBe(200);
    return response.body as { show: Array<{ id: string }>; skipped: Array<{ id: string; reason: string }> };
  };

  it("gives the reason 'acted' once the visitor clicked an action of the message", async () => {
    server = await startTestServer({ catalog: CATALOG });
    expect((await decide({ anonymousId: 'v1', url: '/pricing' })).show.map((m) => m.id)).toEqual(['coupon']);
    const sent = await postJson(`${server.url}/v1/batch`, { batch: [messageEvent('Message Clicked', 'coupon', { anonymousId: 'v1' })] });
    expect(sent.status).toBe(200);
    expect((await decide({ anonymousId: 'v1', url: '/pricing' })).skipped).toContainEqual(expect.objectContaining({ id: 'coupon', reason: 'acted' }));
  });

  it('a call with an event does not count as a page view; one without does', async () => {
    server = await startTestServer({ catalog: CATALOG });
    const thirdPage = async (body: Record<string, unknown>) => (await decide(body)).show.some((m) => m.id === 'third-page');
    expect(await thirdPage({ anonymousId: 'v1', url: '/docs/a' })).toBe(false);
    await decide({ anonymousId: 'v1', url: '/docs/a', event: 'Search' });
    await decide({ anonymousId: 'v1', url: '/docs/a', event: 'Search' });
    // Two page views so far, whatever the events: not yet the third.
    expect(await thirdPage({ anonymousId: 'v1', url: '/docs/b' })).toBe(false);
    expect(await thirdPage({ anonymousId: 'v1', url: '/docs/c' })).toBe(true);
  });

  it('answers an empty body with 400 and a sentence, on both endpoints', async () => {
    server = await startTestServer({ catalog: CATALOG });
    for (const path of ['/v1/batch', '/v1/decide']) {
      for (const body of ['', '  \n']) {
        const response = await postJson(`${server.url}${path}`, body);
        expect(response.status, `${path} ${JSON.stringify(body)}`).toBe(400);
        expect(JSON.stringify(response.body)).toContain('request body is empty');
      }
    }
  });
});
