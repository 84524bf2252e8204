import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendReadiness, type PingDatabase } from './ready.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A real HTTP server answering readiness with `ping`; resolves with its URL. */
async function serveReadiness(ping: PingDatabase, timeoutMs?: number): Promise<string> {
  server = createServer((_req, res) => void sendReadiness(res, ping, { 'access-control-allow-origin': 'https://a.example' }, timeoutMs));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/ready`;
}

describe('sendReadiness', () => {
  it('answers 200 while the database answers', async () => {
    const response = await fetch(await serveReadiness(async () => ({ ok: true, latencyMs: 1 }) as { ok: boolean }));
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://a.example');
    expect(await response.json()).toEqual({ status: 'ready', database: { ok: true, latencyMs: 1 } });
  });

  it('answers 503 with Retry-After and the reason while it does not', async () => {
    const url = await serveReadiness(async () => ({ ok: false, error: 'database postgres://beckon@db:5432/beckon is unreachable' }));
    const response = await fetch(url);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ status: 'unavailable', database: { ok: false, error: 'database postgres://beckon@db:5432/beckon is unreachable' } });
  });

  it('answers 503 when the database does not answer in time: a hanging database is as bad as a lost one', async () => {
    const response = await fetch(await serveReadiness(() => new Promise(() => {}), 50));
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'unavailable', database: { ok: false, error: 'the database did not answer within 0.05 s' } });
  });
});
