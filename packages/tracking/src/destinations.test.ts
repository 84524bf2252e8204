import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { batchUrl, httpDestination } from './destinations.js';
import { memoryStore } from './storage.js';
import type { BeckonEvent, TrackEvent } from './types.js';

/** A real collector on 127.0.0.1 whose answers the tests choose. */
const seen: Array<{ path: string; headers: IncomingMessage['headers']; events: BeckonEvent[] }> = [];
let answers: Array<{ status: number; headers?: Record<string, string> } | 'hang'> = [];
let server: Server;
let origin = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', headers: req.headers, events: (JSON.parse(body) as { batch: BeckonEvent[] }).batch });
      const answer = answers.shift() ?? { status: 200 };
      if (answer === 'hang') return;
      res.writeHead(answer.status, answer.headers).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  seen.length = 0;
  answers = [];
});

const event = (i: number): TrackEvent => ({ type: 'track', event: 'Clicked', messageId: `m${i}`, anonymousId: 'a1', timestamp: '2026-01-31T12:00:00.000Z' });
async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; !condition(); ) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const push = (destination: ReturnType<typeof httpDestination>, ...events: TrackEvent[]) => events.forEach((e) => destination.track(e, JSON.stringify(e)));

describe('batchUrl', () => {
  it('appends /v1/batch to a base URL and keeps a full one', () => {
    expect(batchUrl('https://c.example.com')).toBe('https://c.example.com/v1/batch');
    expect(batchUrl('https://c.example.com/')).toBe('https://c.example.com/v1/batch');
    expect(batchUrl('https://c.example.com/beckon/v1/batch')).toBe('https://c.example.com/beckon/v1/batch');
    expect(batchUrl('')).toBe('/v1/batch');
  });
});

describe('httpDestination over real HTTP', () => {
  it('POSTs { batch } as JSON with the write key header', async () => {
    const destination = httpDestination({ url: origin, writeKey: 'wk_1', store: memoryStore(), flushAt: 2, warn: () => {} });
    push(destination, event(1), event(2));
    await destination.flush!();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.path).toBe('/v1/batch');
    expect(seen[0]!.headers).toMatchObject({ 'content-type': 'application/json', 'x-beckon-write-key': 'wk_1' });
    expect(seen[0]!.events).toEqual([event(1), event(2)]);
    expect(destination.stats()).toMatchObject({ sent: 2, queued: 0 });
    destination.close!();
  });

  it("reads the collector's Retry-After and status from a real response", async () => {
    answers = [{ status: 429, headers: { 'retry-after': '1' } }, { status: 400 }];
    const warnings: string[] = [];
    const destination = httpDestination({ url: origin, store: memoryStore(), flushAt: 1, warn: (m) => warnings.push(m), retry: { minTimeout: 10, maxTimeout: 20 } });
    push(destination, event(1));
    await destination.flush!();
    expect(destination.stats()).toMatchObject({ sent: 0, queued: 1, retries: 1 });
    const started = Date.now();
    await until(() => seen.length === 2 && destination.stats().queued === 0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900); // waited for Retry-After, not the 10-20 ms backoff
    expect(destination.stats()).toMatchObject({ sent: 0, queued: 0, dropped: { rejected: 1 } });
    expect(warnings).toEqual(['[beckon] HTTP 400: 1 event(s) dropped']);
    destination.close!();
  });

  it('gives up on a collector that never answers and sends again', async () => {
    answers = ['hang'];
    const destination = httpDestination({ url: origin, store: memoryStore(), flushAt: 1, timeout: 200, retry: { minTimeout: 10, maxTimeout: 20 }, warn: () => {} });
    push(destination, event(1));
    await destination.flush!();
    expect(destination.stats()).toMatchObject({ sent: 0, retries: 1 });
    await until(() => destination.stats().sent === 1);
    expect(destination.stats()).toMatchObject({ sent: 1, queued: 0 });
    expect(seen.map((s) => s.events.map((e) => e.messageId))).toEqual([['m1'], ['m1']]);
    destination.close!();
  });

  it('retries when the collector is unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const destination = httpDestination({ url: `http://127.0.0.1:${port}`, store: memoryStore(), flushAt: 1, warn: () => {} });
    push(destination, event(1));
    await destination.flush!();
    expect(destination.stats()).toMatchObject({ sent: 0, queued: 1, retries: 1 });
    destination.close!();
  });

  it('refuses a url that is not a string, naming the option', () => {
    expect(() => httpDestination({ url: 42 as unknown as string })).toThrow('beckon: endpoint must be a URL string');
  });
});
