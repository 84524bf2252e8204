import { request } from 'node:http';
import { writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { compileCatalog, parseCatalog } from '@beckon/rules';
import { afterEach, describe, expect, it } from 'vitest';
import { CatalogFileError } from '@beckon/server';
import { startTestServer, TEST_CATALOG, type TestServer } from './server-harness.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A GET with exact request headers (fetch would add and undo its own accept-encoding). */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

async function health(url: string) {
  return (await (await fetch(`${url}/v1/health`)).json()) as { status: string; catalog: { ok: boolean; etag: string; messages: number; errors: Array<{ path: string; message: string }> } };
}

/** Polls until `check` passes (the catalog file is checked twice a second). */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 60; i++) {
    const value = await read();
    if (check(value)) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not reached in 6 s');
}

const withTitle = (title: string) => ({ messages: [{ ...TEST_CATALOG.messages[0]!, content: { title } }] });

describe('GET /v1/catalog', () => {
  it('serves the compiled catalog with an ETag and Cache-Control, and 304 for a matching If-None-Match', async () => {
    server = await startTestServer();
    const first = await get(`${server.url}/v1/catalog`);
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body.toString())).toEqual(compileCatalog(parseCatalog(TEST_CATALOG).messages));
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=3600');
    for (const tag of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await get(`${server.url}/v1/catalog`, { 'if-none-match': tag });
      expect(again.status, tag).toBe(304);
      expect(again.body.length).toBe(0);
      expect(again.headers.etag).toBe(etag);
    }
    expect((await get(`${server.url}/v1/catalog`, { 'if-none-match': '"stale"' })).status).toBe(200);
  });

  it('gzips the catalog for clients that accept it', async () => {
    server = await startTestServer();
    const plain = await get(`${server.url}/v1/catalog`);
    const zipped = await get(`${server.url}/v1/catalog`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.body).toString()).toBe(plain.body.toString());
    expect(zipped.headers.vary).toContain('accept-encoding');
  });

  it('follows the file: a new catalog is served with a new ETag; one with errors keeps the last good one and reports them', async () => {
    server = await startTestServer();
    const { url, catalogFile } = server;
    const before = await health(url);
    expect(before.catalog).toMatchObject({ ok: true, messages: 1, errors: [] });

    writeFileSync(catalogFile, JSON.stringify(withTitle('Version two')));
    const second = await eventually(() => health(url), (h) => h.catalog.etag !== before.catalog.etag);
    expect((await (await fetch(`${url}/v1/catalog`)).json()).messages[0].content.title).toBe('Version two');

    writeFileSync(catalogFile, JSON.stringify({ messages: [{ id: 'Bad Id', layout: { type: 'nope' }, content: {} }] }));
    const broken = await eventually(() => health(url), (h) => !h.catalog.ok);
    expect(broken.catalog.etag).toBe(second.catalog.etag);
    expect(broken.catalog.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['messages[0].id', 'messages[0].layout.type']));
    const served = await get(`${url}/v1/catalog`);
    expect(served.headers.etag).toBe(second.catalog.etag);
    expect(server.logs.some((l) => l.level === 'warn' && l.message.includes('messages[0].id') && l.message.includes('still serving'))).toBe(true);

    writeFileSync(catalogFile, '{ not json');
    await eventually(() => health(url), (h) => h.catalog.errors[0]?.message.startsWith('not valid JSON') ?? false);

    writeFileSync(catalogFile, JSON.stringify(withTitle('Version three')));
    const fixed = await eventually(() => health(url), (h) => h.catalog.ok);
    expect(fixed.catalog.etag).not.toBe(second.catalog.etag);
  });

  it('refuses to start on a catalog with errors, listing each with its path', async () => {
    await expect(startTestServer({ catalog: { messages: [{ id: 'x', layout: { type: 'modal' }, content: {}, pages: { include: ['/pri[cing'] } }] } })).rejects.toSatisfy(
      (error: unknown) => error instanceof CatalogFileError && /messages\[0\]\.pages\.include\[0\]: "\/pri\[cing" is not a valid pattern/.test(error.message),
    );
  });
});

describe('GET /v1/health', () => {
  it('answers liveness, version and catalog status without caching', async () => {
    server = await startTestServer();
    const response = await fetch(`${server.url}/v1/health`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({
      status: 'ok',
      version: expect.any(String),
      catalog: { ok: true, messages: 1, file: server.catalogFile },
      database: { engine: 'sqlite', ok: true, latencyMs: expect.any(Number) },
    });
  });
});

describe('routing and CORS', () => {
  it('answers unknown routes with 404 JSON and wrong methods with 405 and Allow', async () => {
    server = await startTestServer();
    const missing = await fetch(`${server.url}/v2/everything`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/json');
    expect((await missing.json()).error).toContain('no route /v2/everything');
    const wrong = await fetch(`${server.url}/v1/batch`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });

  it('allows any origin while listening on loopback with no origins configured', async () => {
    server = await startTestServer();
    const preflight = await fetch(`${server.url}/v1/batch`, {
      method: 'OPTIONS',
      headers: { origin: 'https://anywhere.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-beckon-write-key' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://anywhere.example');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-beckon-write-key');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('limits browsers to the configured origins, and lets them read errors', async () => {
    server = await startTestServer({ origins: ['https://shop.example'] });
    const allowed = await fetch(`${server.url}/v1/catalog`, { headers: { origin: 'https://shop.example' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(allowed.headers.get('access-control-expose-headers')).toBe('etag');
    expect(allowed.headers.get('vary')).toBe('origin, accept-encoding');
    const error = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { origin: 'https://shop.example', 'content-type': 'application/json' }, body: '{' });
    expect(error.status).toBe(400);
    expect(error.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const refused = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'text/plain' }, body: '{}' });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect((await refused.json()).error).toContain('origin https://evil.example is not allowed');
  });
});
