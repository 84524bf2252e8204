// GET /v1/export and `beckon export` over real HTTP and a real process: a range gives exactly the
// stored events of that range, as NDJSON or CSV; bad ranges are refused naming the parameter.
import { spawn } from 'node:child_process';
import type { BeckonEvent } from '@beckon/tracking';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, makeEvent, postJson, startTestServer, type TestServer } from './server-harness.js';

const READ_KEY = 'read-secret';
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

let cli: string;
beforeAll(async () => {
  cli = await bundleCli('test-cli-export');
});

/** Runs `beckon ...args` to the end. */
function beckon(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const DAY = 86_400_000;
const START = Date.parse('2026-02-20T00:00:00Z');

/** 60 events over 12 days, stored in batches out of time order, with a replay. */
async function seed(url: string): Promise<BeckonEvent[]> {
  const events = Array.from({ length: 60 }, (_, i) =>
    makeEvent({ anonymousId: `v${i % 7}`, timestamp: new Date(START + ((i * 23) % 60) * 0.2 * DAY).toISOString(), properties: { i, note: 'a, "quoted"\nvalue' } }),
  );
  for (let i = 0; i < events.length; i += 11) expect((await postJson(`${url}/v1/batch`, { batch: events.slice(i, i + 11) })).status).toBe(200);
  await postJson(`${url}/v1/batch`, { batch: events.slice(0, 5) });
  return events;
}

const inRange = (events: BeckonEvent[], from: number, to: number) =>
  events.filter((e) => Date.parse(e.timestamp) >= from && Date.parse(e.timestamp) < to);
const byId = (a: { messageId: string }, b: { messageId: string }) => a.messageId.localeCompare(b.messageId);

describe('GET /v1/export', () => {
  it('gives exactly the stored events of the range as NDJSON, and as CSV', async () => {
    const server = await startTestServer({ readKey: READ_KEY });
    servers.push(server);
    const events = await seed(server.url);
    const from = START + 3 * DAY;
    const to = START + 9 * DAY;
    const headers = { authorization: `Bearer ${READ_KEY}` };
    const response = await fetch(`${server.url}/v1/export?from=${new Date(from).toISOString()}&to=${to}`, { headers });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="beckon-events-2026-02-23T000000.000Z-2026-03-01T000000.000Z.ndjson"');
    const lines = (await response.text()).split('\n');
    expect(lines.pop()).toBe('');
    const exported = lines.map((line) => JSON.parse(line) as BeckonEvent & { receivedAt: string });
    const expected = inRange(events, from, to);
    expect(expected.length).toBeGreaterThan(20);
    expect(expected.length).toBeLessThan(events.length);
    expect(exported.map(({ receivedAt: _r, ...event }) => event).sort(byId)).toEqual([...expected].sort(byId));
    expect(exported.every((e) => /^\d{4}-\d\d-\d\dT/.test(e.receivedAt))).toBe(true);

    const csv = await (await fetch(`${server.url}/v1/export?from=${from}&to=${to}&format=csv`, { headers })).text();
    expect(csv.startsWith('message_id,type,timestamp,received_at,anonymous_id,')).toBe(true);
    // Each value with a line break is quoted: rows are the lines that start with an id.
    const ids = [...csv.matchAll(/^([0-9a-f-]{36}),track,/gm)].map((m) => m[1]);
    expect(ids.sort()).toEqual(expected.map((e) => e.messageId).sort());
  });

  it('asks for the read key, and refuses a bad range naming the parameter', async () => {
    const server = await startTestServer({ readKey: READ_KEY });
    servers.push(server);
    const get = async (query: string, key = READ_KEY) => {
      const response = await fetch(`${server.url}/v1/export?${query}`, { headers: { 'x-beckon-read-key': key } });
      return { status: response.status, body: (await response.json()) as { error: string } };
    };
    expect((await get('from=2026-01-01&to=2026-02-01', 'wrong')).status).toBe(401);
    expect(await get('to=2026-02-01')).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^from is required/) } });
    expect(await get('from=2026-01-01')).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^to is required/) } });
    expect(await get('from=2026-01-01&to=soon')).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^to "soon" is not a time/) } });
    expect(await get('from=2026-02-01&to=2026-01-01')).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^from .* must be before to/) } });
    expect(await get('from=2026-01-01&to=2026-02-01&format=xml')).toMatchObject({
      status: 400, body: { error: 'format "xml" is not an export format: use ndjson or csv' },
    });
  });
});

describe('beckon export', () => {
  it('writes the same events as GET /v1/export, to stdout or a file, and refuses a bad range naming the option', async () => {
    const server = await startTestServer();
    servers.push(server);
    const events = await seed(server.url);
    const from = START + 2 * DAY;
    const to = START + 5 * DAY;
    const run = await beckon(['export', '--db', server.dbFile, '--from', String(from), '--to', new Date(to).toISOString()]);
    expect(run.code, run.stderr).toBe(0);
    const viaHttp = await (await fetch(`${server.url}/v1/export?from=${from}&to=${to}`)).text();
    expect(run.stdout).toBe(viaHttp);
    const expected = inRange(events, from, to);
    expect(run.stdout.trim().split('\n').map((line) => (JSON.parse(line) as BeckonEvent).messageId).sort()).toEqual(expected.map((e) => e.messageId).sort());
    expect(run.stderr).toContain(`beckon export: ${expected.length} events from`);

    const bad = await beckon(['export', '--db', server.dbFile, '--from', 'yesterday', '--to', '2026-01-01']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('beckon export: --from "yesterday" is not a time');
    const missing = await beckon(['export', '--db', server.dbFile, '--from', '2026-01-01']);
    expect(missing.stderr).toContain('beckon export: --to is required');
    const format = await beckon(['export', '--db', server.dbFile, '--from', '2026-01-01', '--to', '2026-02-01', '--format', 'xml']);
    expect(format.stderr).toContain('beckon export: --format "xml" is not an export format');
  });
});
