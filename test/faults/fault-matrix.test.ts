// The fault matrix: faults and hostile input, each thrown at the real system, with what was expected and
// what was observed printed as one table at the end. The server cases run against every storage engine.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type ClientRequest } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listeningUrl } from '../listening.js';
import { bundleCli, makeEvent, messageEvent, postJson, TEST_CATALOG } from '../e2e/server-harness.js';
import { httpDestination } from '@beckon/tracking';
import { ENGINES, type ServerUnderTest } from './engines.js';
import { describeBrowserFaults } from './browser-cases.js';
import { formatTable, observe } from './table.js';

afterAll(() => {
  console.log(`\nFault matrix\n${formatTable()}\n`);
});

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-02T10:00:00Z');

/** A catalog whose message may show once a day: a show dated in the future would hold it back. */
const DAILY = {
  messages: [{ id: 'daily', audience: 'everyone', pages: { include: ['/pricing'] }, frequency: { minInterval: '1d' }, layout: { type: 'modal' }, content: { title: 'Once a day' } }],
};

/** The JSON of an event nested `levels` deep in its properties (written out: JSON.stringify would overflow the stack). */
function deepEventJson(levels: number): string {
  const json = JSON.stringify(makeEvent({ properties: { n: 'DEEP' } }));
  return json.replace('"DEEP"', `${'{"n":'.repeat(levels)}{}${'}'.repeat(levels)}`);
}

/** Opens a POST announcing `length` bytes, sends a few, and stalls; resolves its socket once connected. */
function stalledUpload(url: string, localAddress: string): Promise<{ req: ClientRequest; closed: Promise<void> }> {
  return new Promise((resolve) => {
    const req = request(`${url}/v1/batch`, { method: 'POST', localAddress, agent: false, headers: { 'content-type': 'application/json', 'content-length': 100_000 } });
    const closed = new Promise<void>((done) => {
      req.on('error', () => done());
      req.on('response', (res) => {
        res.resume();
        res.on('close', () => done());
      });
      req.on('close', () => done());
    });
    req.on('socket', (socket: Socket) => socket.on('connect', () => resolve({ req, closed })));
    req.write('{"batch":[');
  });
}

/** A request with any headers (fetch would not send another Host); resolves with the status. */
function statusOf(url: string, method: string, headers: Record<string, string>, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Resolves when `count` of the promises have settled. */
function settled(promises: Array<Promise<unknown>>, count: number): Promise<void> {
  let done = 0;
  return new Promise((resolve) => {
    for (const promise of promises) void promise.finally(() => ++done === count && resolve());
  });
}

/** Runs `beckon serve` with at most `files` open files (as a small server's ulimit would), resolving its URL once it listens. */
async function serveWithFileLimit(cli: string, args: string[], dir: string, files: number): Promise<{ url: string; child: ChildProcess }> {
  const command = `ulimit -n ${files} && exec "$0" "$@"`;
  const child = spawn('/bin/sh', ['-c', command, process.execPath, cli, 'serve', '--catalog', 'messages.json', '--port', '0', ...args], { cwd: dir });
  return { url: await listeningUrl(child), child };
}

let cli: string;
beforeAll(async () => {
  cli = await bundleCli('fault-matrix-cli');
});

for (const engine of ENGINES) {
  describe(`server faults (${engine.name})`, () => {
    let server: ServerUnderTest | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });
    const on = (fault: string) => `${fault} [${engine.name}]`;

    it('malformed JSON and an oversized body are refused with 400 and 413, nothing stored', async () => {
      server = await engine.start();
      const malformed = await postJson(`${server.url}/v1/batch`, '{"batch": [');
      const oversized = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: ' '.repeat(600 * 1024) });
      const stored = await server.stored();
      observe(on('malformed JSON; 600 kB body'), '400; 413; nothing stored', `${malformed.status}; ${oversized.status}; ${stored.length} stored`);
      expect([malformed.status, oversized.status, stored.length]).toEqual([400, 413, 0]);
    });

    it('an event nested 5,000 levels deep is refused alone, naming its index; its neighbours are stored', async () => {
      server = await engine.start();
      const [before, after] = [makeEvent(), makeEvent()];
      const body = `{"batch":[${JSON.stringify(before)},${deepEventJson(5_000)},${JSON.stringify(after)}]}`;
      const response = await postJson(`${server.url}/v1/batch`, body);
      const refused = (response.body.refused ?? []) as Array<{ index: number; reason: string }>;
      const stored = (await server.stored()).map((e) => e.id);
      observe(
        on('event nested 5,000 levels deep, between two valid ones'),
        '200; batch[1] refused; 2 neighbours stored',
        `${response.status}; ${refused.map((r) => `batch[${r.index}] refused`).join(', ') || 'none refused'}; ${stored.length} stored`,
      );
      expect(response.status).toBe(200);
      expect(refused.map((r) => r.index)).toEqual([1]);
      expect(refused[0]!.reason).toContain('more than 32 levels deep');
      expect(stored).toEqual([before.messageId, after.messageId]);
      expect(server.logs.filter((entry) => entry.level === 'error')).toEqual([]);
    });

    it('storage that throws in the middle of a batch: 500, nothing of that batch stored, logged; the next batch is stored', async () => {
      server = await engine.start();
      const batch = Array.from({ length: 50 }, () => makeEvent());
      await server.failOn(batch[25]!.messageId);
      const failed = await postJson(`${server.url}/v1/batch`, { batch });
      const next = await postJson(`${server.url}/v1/batch`, { batch: [makeEvent()] });
      const stored = await server.stored();
      const logged = server.logs.some((entry) => entry.level === 'error' && String(entry.error).includes('disk on fire'));
      observe(on('storage throws at event 26 of 50'), '500; 0 of the batch stored; logged; next batch 200', `${failed.status}; ${stored.length - 1} of the batch stored; ${logged ? 'logged' : 'not logged'}; next batch ${next.status}`);
      expect([failed.status, stored.length, logged, next.status]).toEqual([500, 1, true, 200]);
    });

    for (const when of ['as the server starts', 'while the server runs'] as const) {
      it(`the storage going away ${when}: a batch is answered with an error in bounded time, and stored once it is back`, async () => {
        server = await engine.start();
        if (when === 'while the server runs') expect((await postJson(`${server.url}/v1/batch`, { batch: [makeEvent()] })).status).toBe(200);
        const giveBack = await server.takeAway();
        const event = makeEvent();
        const started = Date.now();
        const during = await postJson(`${server.url}/v1/batch`, { batch: [event] });
        const waited = Date.now() - started;
        await giveBack();
        const after = await postJson(`${server.url}/v1/batch`, { batch: [event] });
        const stored = (await server.stored()).filter((e) => e.id === event.messageId).length;
        observe(
          on(`storage locked by another holder ${when}`),
          '5xx within 10 s; 200 once back; stored once',
          `${during.status} after ${(waited / 1000).toFixed(1)} s; ${after.status} once back; stored ${stored}x`,
        );
        expect(during.status).toBeGreaterThanOrEqual(500);
        expect(waited).toBeLessThan(10_000);
        expect([after.status, stored]).toEqual([200, 1]);
      });
    }

    for (const who of ['an anonymous visitor', 'a user id'] as const) {
      it(`a Message Shown dated 9999 does not hold the message back from ${who}`, async () => {
        let now = T0;
        server = await engine.start({ catalog: DAILY, now: () => now });
        const visitor = who === 'a user id' ? { anonymousId: 'anon-future-2', userId: 'user-future' } : { anonymousId: 'anon-future-1' };
        const shown = messageEvent('Message Shown', 'daily', { ...visitor, timestamp: '9999-12-31T23:59:59.000Z' });
        await postJson(`${server.url}/v1/batch`, { batch: [shown] });
        const time = (await server.stored()).find((e) => e.id === shown.messageId)?.time;
        now = T0 + 2 * DAY;
        const decision = await postJson(`${server.url}/v1/decide`, { ...visitor, url: '/pricing' });
        const ids = (decision.body.show as Array<{ id: string }>).map((m) => m.id);
        observe(
          on(`Message Shown dated 9999-12-31 through ${who}`),
          'stored at the time received; shown again 2 days later',
          `stored at ${time === undefined || time === null ? 'none' : new Date(time).toISOString()}; ${ids.includes('daily') ? 'shown' : 'not shown'} 2 days later`,
        );
        expect(time).toBe(T0);
        expect(ids).toEqual(['daily']);
      });
    }

    it('a sender whose clock is a year off: times corrected by its sentAt', async () => {
      server = await engine.start({ now: () => T0 });
      const ahead = makeEvent({ timestamp: new Date(T0 + 365 * DAY - 5_000).toISOString() });
      await postJson(`${server.url}/v1/batch`, { batch: [ahead], sentAt: new Date(T0 + 365 * DAY).toISOString() });
      const behind = makeEvent({ timestamp: new Date(T0 - 365 * DAY - 5_000).toISOString() });
      await postJson(`${server.url}/v1/batch`, { batch: [behind], sentAt: new Date(T0 - 365 * DAY).toISOString() });
      const times = await server.stored();
      const offsets = times.map((e) => `${((e.time ?? NaN) - T0) / 1000} s`);
      observe(on('device clock a year ahead, then a year behind (with sentAt)'), 'stored 5 s before receipt, both', offsets.join(', '));
      expect(times.map((e) => e.time)).toEqual([T0 - 5_000, T0 - 5_000]);
    });

    it('a client that goes away in the middle of its upload is not logged as an error', async () => {
      server = await engine.start();
      const { req } = await stalledUpload(server.url, '127.0.0.1');
      await new Promise<void>((resolve) => {
        req.on('error', () => undefined);
        req.socket!.once('close', () => resolve());
        req.destroy();
      });
      // The hang-up reached the server before this request was sent, so it has been handled once this one is answered.
      const later = await postJson(`${server.url}/v1/batch`, { batch: [makeEvent()] });
      const errors = server.logs.filter((entry) => entry.level === 'error');
      observe(on('client hangs up in the middle of its upload'), 'no error logged; next request 200', `${errors.length} errors logged; next request ${later.status}`);
      expect(later.status).toBe(200);
      expect(errors.map((e) => e.message)).toEqual([]);
    });

    it('stalled uploads from one client: the others are served, and the stalled connections are cut', async () => {
      server = await engine.start({ maxConnectionsPerClient: 20, headersTimeout: 1_000, requestTimeout: 1_500, idleTimeout: 1_000 });
      const stalled = await Promise.all(Array.from({ length: 40 }, () => stalledUpload(server!.url, '127.0.0.2')));
      const closed = stalled.map((s) => s.closed);
      // Beyond 20 from one address, connections are closed at once.
      await settled(closed, 20);
      const other = await postJson(`${server.url}/v1/batch`, { batch: [makeEvent()] });
      const started = Date.now();
      await settled(closed, 40);
      const cut = Date.now() - started;
      observe(
        on('40 stalled uploads from one address (limit 20, request timeout 1.5 s)'),
        '20 refused at once; others served; the rest cut within 5 s',
        `20 refused at once; others served: ${other.status}; the rest cut after ${(cut / 1000).toFixed(1)} s`,
      );
      expect(other.status).toBe(200);
      expect(cut).toBeLessThan(5_000);
    });

    it('DNS rebinding: a Host the server does not serve is refused, and cannot pass as the same origin', async () => {
      server = await engine.start();
      const port = new URL(server.url).port;
      const rebound = await statusOf(`${server.url}/v1/health`, 'GET', { host: `evil.example:${port}` });
      const own = await statusOf(`${server.url}/v1/health`, 'GET', { host: `localhost:${port}` });
      await server.close();
      server = await engine.start({ host: '0.0.0.0', origins: ['https://shop.example'] });
      const open = new URL(server.url).port;
      const headers = { host: `evil.example:${open}`, origin: `http://evil.example:${open}`, 'content-type': 'application/json' };
      const sameHost = await statusOf(`http://127.0.0.1:${open}/v1/batch`, 'POST', headers, JSON.stringify({ batch: [makeEvent()] }));
      observe(
        on('Host evil.example on loopback; rebound page posting on 0.0.0.0 with --origin'),
        '421; localhost 200; 403',
        `${rebound}; localhost ${own}; ${sameHost}`,
      );
      expect([rebound, own, sameHost]).toEqual([421, 200, 403]);
    });

    it('message ids no catalog could hold are stored but never listed in the metrics', async () => {
      server = await engine.start({ now: () => T0 });
      const hostile = ['<img src=x onerror=alert(1)>', 'x'.repeat(5_000), 'UPPER'];
      const events = [...hostile, 'coupon'].map((id) => messageEvent('Message Shown', id, { timestamp: new Date(T0 - 1000).toISOString() }));
      const response = await postJson(`${server.url}/v1/batch`, { batch: events });
      const metrics = (await (await fetch(`${server.url}/v1/metrics?from=${new Date(T0 - DAY).toISOString()}&to=${new Date(T0 + DAY).toISOString()}`)).json()) as { messages: Array<{ messageId: string }> };
      const listed = metrics.messages.map((m) => m.messageId);
      observe(on('Message Shown for 3 ids no catalog could hold'), '4 stored; only coupon listed', `${response.body.accepted} stored; listed: ${listed.join(', ')}`);
      expect(response.body.accepted).toBe(4);
      expect(listed).toEqual(['coupon']);
    });

    it('a slow decision does not hold up storing events', async () => {
      // Linear patterns, but 1,500 of them over an 8,000-character URL: each decision reads the URL 1,500 times.
      const messages = Array.from({ length: 1_500 }, (_, i) => ({
        id: `m${i}`, pages: { include: [{ regex: `^/a.*b${i}$` }] }, layout: { type: 'popup' }, content: { title: `${i}` },
      }));
      server = await engine.start({ catalog: { messages } });
      const url = `/${'a'.repeat(8_000)}`;
      const order: string[] = [];
      const decide = () => postJson(`${server!.url}/v1/decide`, { anonymousId: 'slow', url }).then((r) => order.push(`decide ${r.status}`));
      await decide(); // warm: the catalog is on the decide thread
      order.length = 0;
      const decisions = [decide(), decide(), decide()];
      const batch = postJson(`${server.url}/v1/batch`, { batch: [makeEvent()] }).then((r) => order.push(`batch ${r.status}`));
      await Promise.all([...decisions, batch]);
      observe(on('3 slow decisions in flight, then a batch'), 'the batch answered first', order.join(', '));
      expect(order.join(', ')).toBe('batch 200, decide 200, decide 200, decide 200');
    });

    it('heavy ingest does not hold up decisions for long', async () => {
      server = await engine.start();
      const started = Date.now();
      const batches = Array.from({ length: 6 }, () => postJson(`${server!.url}/v1/batch`, { batch: Array.from({ length: 500 }, () => makeEvent()) }));
      const decided = await postJson(`${server.url}/v1/decide`, { anonymousId: 'quick', url: '/pricing' });
      const decideMs = Date.now() - started;
      const statuses = (await Promise.all(batches)).map((r) => r.status);
      observe(on('6 batches of 500 in flight, then a decision'), 'decision 200 within 5 s; batches 200', `decision ${decided.status} after ${decideMs} ms; batches ${[...new Set(statuses)].join()}`);
      expect(decided.status).toBe(200);
      expect(decideMs).toBeLessThan(5_000);
      expect(statuses.every((status) => status === 200)).toBe(true);
    });

    it('a catalog pattern that backtracks exponentially is refused, or its decision given up; storing goes on', async () => {
      const redos = { messages: [{ id: 'redos', pages: { include: ['/(a+)+$'] }, layout: { type: 'modal' }, content: { title: 'x' } }] };
      const start = await engine.start({ catalog: redos, decideTimeout: 1_000 }).then((s) => s, (error: Error) => error);
      if (start instanceof Error) {
        // The catalog never loads: the server does not start with it, and says why.
        observe(on('glob "/(a+)+$" and a 42-character URL'), 'catalog refused, or decision 503 in 1 s; batch 200 at once', 'catalog refused');
        expect(start.message).toContain('"/(a+)+$" is refused');
        return;
      }
      server = start;
      const health = (await (await fetch(`${server.url}/v1/health`)).json()) as { catalog: { ok: boolean } };
      const started = Date.now();
      const decision = postJson(`${server.url}/v1/decide`, { anonymousId: 'r', url: `/${'a'.repeat(40)}!` });
      const batch = await postJson(`${server.url}/v1/batch`, { batch: [makeEvent()] });
      const batchMs = Date.now() - started;
      const decided = await decision;
      const outcome = health.catalog.ok ? `decision ${decided.status} after ${((Date.now() - started) / 1000).toFixed(1)} s` : 'catalog refused';
      observe(on('glob "/(a+)+$" and a 42-character URL'), 'catalog refused, or decision 503 in 1 s; batch 200 at once', `${outcome}; batch ${batch.status} in ${batchMs} ms`);
      expect(batch.status).toBe(200);
      expect(batchMs).toBeLessThan(1_000);
      if (health.catalog.ok) expect(decided.status).toBe(503);
    });

    /** The tracker's delivery (queue and HTTP transport, real fetch) to this server, with quick retries. */
    const delivery = (url: string, options: Partial<Parameters<typeof httpDestination>[0]> = {}) => {
      const warnings: string[] = [];
      const destination = httpDestination({ url, flushAt: 1_000, retry: { minTimeout: 10, maxTimeout: 20 }, warn: (w) => warnings.push(w), ...options });
      const send = (event: ReturnType<typeof makeEvent>, json = JSON.stringify(event)) => destination.track(event, json);
      return { destination, send, warnings };
    };

    it('tracker: an event the collector refuses is dropped alone and never sent again', async () => {
      server = await engine.start();
      const { destination, send } = delivery(server.url);
      const [before, after] = [makeEvent(), makeEvent()];
      send(before);
      send(makeEvent({ messageId: 'deep-one' }), deepEventJson(40).replace(/"messageId":"[^"]+"/, '"messageId":"deep-one"'));
      send(after);
      await destination.flush!();
      await destination.flush!();
      const stats = destination.stats();
      const stored = (await server.stored()).map((e) => e.id);
      observe(on('tracker sends an event nested 40 deep between two valid ones'), '2 stored; 1 rejected; nothing queued', `${stored.length} stored; ${stats.dropped.rejected} rejected; ${stats.queued} queued`);
      expect(stored).toEqual([before.messageId, after.messageId]);
      expect(stats).toMatchObject({ sent: 2, queued: 0, dropped: { rejected: 1 } });
      destination.close?.();
    });

    it('tracker: a batch the collector keeps failing on is given up after maxAttempts, and newer events get through', async () => {
      server = await engine.start();
      const { destination, send, warnings } = delivery(server.url, { maxAttempts: 3 });
      const poison = makeEvent();
      await server.failOn(poison.messageId);
      send(poison);
      for (let i = 0; i < 3; i++) await destination.flush!();
      const given = destination.stats();
      const fresh = makeEvent();
      send(fresh);
      // The retry timer of the last failure is pending; flushing now sends what waits.
      await destination.flush!();
      const stored = (await server.stored()).map((e) => e.id);
      observe(on('tracker: storage fails on one event every time'), 'given up after 3 attempts; next event stored', `${given.dropped.expired} given up after ${given.retries} failures; next event ${stored.includes(fresh.messageId) ? 'stored' : 'not stored'}`);
      expect(given).toMatchObject({ queued: 0, retries: 3, dropped: { expired: 1 } });
      expect(warnings).toContain('[beckon] 1 event(s) given up');
      expect(stored).toEqual([fresh.messageId]);
      destination.close?.();
    });

    it('tracker: a device clock a year ahead does not date events in the future at the server', async () => {
      server = await engine.start({ now: () => T0 });
      const ahead = () => T0 + 365 * DAY;
      const { destination, send } = delivery(server.url, { now: ahead });
      const event = makeEvent({ timestamp: new Date(ahead() - 2_000).toISOString() });
      send(event);
      await destination.flush!();
      const time = (await server.stored())[0]?.time;
      observe(on('tracker on a device whose clock is a year ahead'), 'stored 2 s before receipt', time === undefined || time === null ? 'not stored' : `stored ${(time - T0) / 1000} s from receipt`);
      expect(time).toBe(T0 - 2_000);
      destination.close?.();
    });

    it('beckon serve killed (SIGKILL) in the middle of ingest, restarted, every batch replayed: each event stored once', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'beckon-faults-'));
      writeFileSync(join(dir, 'messages.json'), JSON.stringify(TEST_CATALOG));
      const serve = async () => {
        const child = spawn(process.execPath, [cli, 'serve', '--catalog', 'messages.json', '--port', '0', ...engine.serveArgs(dir)], { cwd: dir });
        return { child, url: await listeningUrl(child) };
      };
      const batches = Array.from({ length: 20 }, () => Array.from({ length: 250 }, () => makeEvent()));
      const ids = batches.flat().map((e) => e.messageId);
      let first: { child: ChildProcess; url: string } | undefined;
      let second: { child: ChildProcess; url: string } | undefined;
      try {
        first = await serve();
        const url = first.url;
        // Four clients, each sending its five batches one after another; killed once the first batch is answered,
        // with the other clients' batches in flight (stored, half-read or not yet read) and later ones never sent.
        let killed = false;
        const lane = async (lane: number) => {
          const statuses: Array<number | string> = [];
          for (let i = lane; i < batches.length && !killed; i += 4) {
            statuses.push(await postJson(`${url}/v1/batch`, { batch: batches[i] }).then((r) => r.status, () => 'cut'));
            if (!killed) {
              killed = true;
              first!.child.kill('SIGKILL');
            }
          }
          return statuses;
        };
        const before = (await Promise.all([0, 1, 2, 3].map(lane))).flat();
        const storedBefore = (await engine.timesStored(dir, ids)).filter((n) => n > 0).length;
        second = await serve();
        const replayed = await Promise.all(batches.map((batch) => postJson(`${second!.url}/v1/batch`, { batch }).then((r) => r.status)));
        const times = await engine.timesStored(dir, ids);
        observe(
          on('serve SIGKILLed during 20 batches of 250, restarted, all replayed'),
          'replays 200; 5,000 stored, each once',
          `${before.filter((s) => s === 200).length}/${batches.length} answered, ${storedBefore} stored before the kill; replays ${[...new Set(replayed)].join()}; ${times.filter((n) => n > 0).length} stored, max ${Math.max(...times)}x`,
        );
        expect(storedBefore).toBeLessThan(ids.length);
        expect(new Set(replayed)).toEqual(new Set([200]));
        expect(new Set(times)).toEqual(new Set([1]));
      } finally {
        first?.child.kill('SIGKILL');
        second?.child.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('a server with 256 open files and 400 stalled uploads from one address still serves the others', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'beckon-faults-'));
      writeFileSync(join(dir, 'messages.json'), JSON.stringify(TEST_CATALOG));
      const { url, child } = await serveWithFileLimit(cli, engine.serveArgs(dir), dir, 256);
      const stalled: Array<{ req: ClientRequest }> = [];
      try {
        for (let i = 0; i < 400; i++) stalled.push(await stalledUpload(url, '127.0.0.2'));
        const other = await Promise.race([
          postJson(`${url}/v1/batch`, { batch: [makeEvent()] }).then((r) => String(r.status), (error: Error) => `failed (${error.message})`),
          new Promise<string>((resolve) => setTimeout(() => resolve('no answer in 10 s'), 10_000)),
        ]);
        observe(on('400 stalled uploads from one address, 256 open files allowed'), 'others served: 200', `others served: ${other}`);
        expect(other).toBe('200');
      } finally {
        for (const { req } of stalled) req.destroy();
        child.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

describeBrowserFaults();
