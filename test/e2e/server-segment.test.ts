// The collector speaks the Segment tracking API: write key as Basic user name or in the body, gzip and
// deflate bodies, the single-event endpoints and analytics.js's short paths, and the fields Segment
// fills in (messageId, timestamp, sentAt skew correction). Real HTTP, a real SQLite file.
import { connect } from 'node:net';
import { deflateSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database, makeEvent, messageEvent, startTestServer, type TestServer } from './server-harness.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({ writeKey: 'w-secret', storeContext: true });
});
afterEach(async () => server?.close());

const basic = (user: string, password = '') => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const AUTH = { authorization: basic('w-secret') };

/** POSTs raw bytes and returns the status and parsed body. */
async function post(path: string, body: string | Buffer, headers: Record<string, string> = AUTH) {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

interface StoredRow {
  event_id: string;
  type: string;
  name: string | null;
  anonymous_id: string;
  user_id: string | null;
  person: string | null;
  time_ms: number;
  received_ms: number;
  body: Record<string, unknown>;
}

function stored(): StoredRow[] {
  const db = new Database(server.dbFile, { readonly: true });
  try {
    const rows = db
      .prepare('SELECT e.event_id, e.type, e.name, e.anonymous_id, e.user_id, p.key AS person, e.time_ms, e.received_ms, e.body FROM events e LEFT JOIN people p ON p.id = e.person ORDER BY e.seq')
      .all() as Array<StoredRow & { body: string }>;
    return rows.map((row) => ({ ...row, body: JSON.parse(row.body) as Record<string, unknown> }));
  } finally {
    db.close();
  }
}

describe('write key', () => {
  it('is read from the user name of HTTP Basic auth, as Segment libraries send it', async () => {
    const body = JSON.stringify({ batch: [makeEvent()] });
    expect((await post('/v1/batch', body, { authorization: basic('nope') })).status).toBe(401);
    expect((await post('/v1/batch', body, { authorization: basic('w-secret') })).body).toEqual({ accepted: 1, duplicates: 0 });
    // Without a colon the one value is the user name too.
    const noColon = { authorization: `Basic ${Buffer.from('w-secret').toString('base64')}` };
    expect((await post('/v1/batch', JSON.stringify({ batch: [makeEvent()] }), noColon)).status).toBe(200);
  });

  it('is read from the body’s writeKey, as analytics.js sends it, and never stored', async () => {
    const event = makeEvent();
    expect((await post('/v1/t', JSON.stringify({ ...event, writeKey: 'nope' }), {})).status).toBe(401);
    expect((await post('/v1/t', JSON.stringify({ ...event }), {})).body.error).toContain('write key missing');
    expect((await post('/v1/t', JSON.stringify({ ...event, writeKey: 'w-secret' }), {})).status).toBe(200);
    expect((await post('/v1/b', JSON.stringify({ batch: [makeEvent()], writeKey: 'w-secret' }), {})).status).toBe(200);
    expect(stored()).toHaveLength(2);
    expect(stored().every((row) => !('writeKey' in row.body))).toBe(true);
  });

  it('in a header or the URL is checked before the body is read, so a wrong one with a body key is refused', async () => {
    const body = JSON.stringify({ ...makeEvent(), writeKey: 'w-secret' });
    expect((await post('/v1/track', body, { authorization: basic('nope') })).status).toBe(401);
    expect((await post('/v1/track?writeKey=nope', body, {})).status).toBe(401);
    expect(stored()).toEqual([]);
  });
});

describe('compressed bodies', () => {
  it('reads gzip and deflate bodies', async () => {
    const gzip = await post('/v1/batch', gzipSync(JSON.stringify({ batch: [makeEvent()] })), { ...AUTH, 'content-encoding': 'gzip' });
    expect(gzip).toEqual({ status: 200, body: { accepted: 1, duplicates: 0 } });
    const deflate = await post('/v1/batch', deflateSync(JSON.stringify({ batch: [makeEvent()] })), { ...AUTH, 'content-encoding': 'deflate' });
    expect(deflate).toEqual({ status: 200, body: { accepted: 1, duplicates: 0 } });
    expect(stored()).toHaveLength(2);
  });

  it('applies the 512 kB limit to the inflated size: a small body that inflates past it is refused with 413', async () => {
    const event = makeEvent({ properties: { pad: 'x'.repeat(600 * 1024) } });
    const body = gzipSync(JSON.stringify({ batch: [event] }));
    expect(body.length).toBeLessThan(10 * 1024);
    const response = await post('/v1/batch', body, { ...AUTH, 'content-encoding': 'gzip' });
    expect(response.status).toBe(413);
    expect(response.body.error).toContain('larger than 512 kB');
    expect(stored()).toEqual([]);
  });

  it('refuses a gzip bomb (16 MB that would inflate to 16 GiB) and closes the connection without reading the rest of it', async () => {
    // Gzip members may follow one another in one body: 1,024 members of 16 MiB of zeros each (16 kB gzipped).
    const member = gzipSync(Buffer.alloc(16 * 1024 * 1024));
    const members = 1024;
    let sent = 0;
    // A raw socket: Node's HTTP client drops a response that comes while it is still writing the body.
    const { port } = new URL(server.url);
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1');
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
      socket.on('error', () => {}); // EPIPE or ECONNRESET once the server closes
      socket.on('close', () => resolve(received));
      socket.write(`POST /v1/batch HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: ${AUTH.authorization}\r\n` +
        'content-encoding: gzip\r\ntransfer-encoding: chunked\r\n\r\n');
      // Each member is written once the one before has drained, so a server that stops reading stops the writing.
      const writeNext = () => {
        if (socket.destroyed) return;
        if (sent === members) return void socket.end('0\r\n\r\n');
        sent += 1;
        socket.write(`${member.length.toString(16)}\r\n`);
        socket.write(member);
        if (socket.write('\r\n')) setImmediate(writeNext);
        else socket.once('drain', writeNext);
      };
      writeNext();
    });
    // The server answers 413 and closes; the client, still writing, may see the close (a reset) before the answer.
    if (answer !== '') expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    // The server closed while most of the bomb was still unsent (socket buffers hold a few MB of it).
    expect(sent).toBeLessThan(members / 2);
    expect(stored()).toEqual([]);
  });

  it('answers a corrupt compressed body with 400 and an unknown encoding with 415', async () => {
    const corrupt = await post('/v1/batch', Buffer.from('not gzip at all'), { ...AUTH, 'content-encoding': 'gzip' });
    expect(corrupt.status).toBe(400);
    expect(corrupt.body.error).toContain('not valid gzip data');
    const br = await post('/v1/batch', Buffer.from('{}'), { ...AUTH, 'content-encoding': 'br' });
    expect(br.status).toBe(415);
    expect(br.body.error).toContain('content-encoding "br" is not supported');
  });
});

describe('endpoints', () => {
  it('takes single events at /v1/track, /v1/page, /v1/screen, /v1/identify and the short paths, typed by the endpoint', async () => {
    const { messageId: _m, type: _t, ...track } = makeEvent({ type: 'track', event: 'Signed Up' });
    const cases: Array<[string, Record<string, unknown>]> = [
      ['/v1/track', { ...track, messageId: 'e-track' }],
      ['/v1/t', { ...track, messageId: 'e-t' }],
      ['/v1/page', { ...makeEvent({ type: 'page' }), messageId: 'e-page', type: 'track' }],
      ['/v1/p', { ...makeEvent({ type: 'page' }), messageId: 'e-p' }],
      ['/v1/screen', { ...makeEvent({ type: 'screen' }), messageId: 'e-screen' }],
      ['/v1/s', { ...makeEvent({ type: 'screen' }), messageId: 'e-s' }],
      ['/v1/identify', { ...makeEvent({ type: 'identify', anonymousId: 'anon-9', userId: 'u-9' }), messageId: 'e-identify' }],
      ['/v1/i', { ...makeEvent({ type: 'identify' }), messageId: 'e-i' }],
    ];
    for (const [path, event] of cases) {
      expect(await post(path, JSON.stringify(event)), path).toEqual({ status: 200, body: { accepted: 1, duplicates: 0 } });
    }
    expect(stored().map((row) => `${row.event_id} ${row.type}`)).toEqual([
      'e-track track', 'e-t track', 'e-page page', 'e-p page', 'e-screen screen', 'e-s screen', 'e-identify identify', 'e-i identify',
    ]);
  });

  it('answers a single event’s problems with paths of the event itself', async () => {
    const response = await post('/v1/track', JSON.stringify({ anonymousId: 'a', timestamp: 'soon' }));
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('track event does not match the event schema');
    expect(response.body.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'timestamp' }), expect.objectContaining({ path: 'event' })]),
    );
    expect((await post('/v1/track', JSON.stringify([1]))).status).toBe(400);
  });

  it('links previousId to userId on /v1/alias as identify does: earlier anonymous events become the user’s', async () => {
    const shown = messageEvent('Message Shown', 'coupon', { anonymousId: 'anon-alias' });
    await post('/v1/batch', JSON.stringify({ batch: [shown] }));
    expect(stored()[0]!.person).toBe('a:anon-alias');
    const alias = { previousId: 'anon-alias', userId: 'u-alias', timestamp: '2026-01-10T13:00:00Z', messageId: 'e-alias' };
    expect((await post('/v1/alias', JSON.stringify(alias))).status).toBe(200);
    expect((await post('/v1/a', JSON.stringify({ ...alias, messageId: 'e-a', previousId: 'anon-2' }))).status).toBe(200);
    const rows = stored();
    expect(rows[0]!.person).toBe('u:u-alias');
    expect(rows.slice(1).map((row) => [row.type, row.anonymous_id, row.user_id])).toEqual([
      ['alias', 'anon-alias', 'u-alias'],
      ['alias', 'anon-2', 'u-alias'],
    ]);
    expect(rows[1]!.body).toMatchObject({ type: 'alias', previousId: 'anon-alias', userId: 'u-alias' });
    const missing = await post('/v1/alias', JSON.stringify({ userId: 'u' }));
    expect(missing.body.issues).toEqual([{ path: 'previousId', message: 'is required (a string)' }]);
  });

  it('stores group events from /v1/group and /v1/g', async () => {
    const group = { anonymousId: 'anon-g', groupId: 'acme', traits: { plan: 'pro' }, timestamp: '2026-01-10T13:00:00Z' };
    expect((await post('/v1/group', JSON.stringify(group))).status).toBe(200);
    expect((await post('/v1/g', JSON.stringify({ ...group, groupId: 'initech' }))).status).toBe(200);
    expect(stored().map((row) => [row.type, row.body['groupId'], row.body['traits']])).toEqual([
      ['group', 'acme', { plan: 'pro' }],
      ['group', 'initech', { plan: 'pro' }],
    ]);
    expect((await post('/v1/group', JSON.stringify({ anonymousId: 'a' }))).body.issues).toEqual([{ path: 'groupId', message: 'is required (a string)' }]);
  });

  it('takes alias and group inside a batch beside Beckon’s own events, refusing each invalid one by its index', async () => {
    const alias = { type: 'alias', previousId: 'p', userId: 'u', messageId: 'e-1' };
    const batch = [makeEvent(), alias, { type: 'group', anonymousId: 'a', messageId: 'e-2' }, { ...makeEvent(), messageId: 'e-3', timestamp: 'x' }];
    const response = await post('/v1/b', JSON.stringify({ batch }));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ accepted: 2, duplicates: 0 });
    expect(response.body['refused']).toEqual([
      { index: 2, messageId: 'e-2', reason: 'batch[2].groupId: is required (a string)' },
      { index: 3, messageId: 'e-3', reason: expect.stringMatching(/^batch\[3\]\.timestamp: must be an ISO 8601 date-time/) },
    ]);
    expect(stored().map((row) => row.type)).toEqual(['track', 'alias']);
  });
});

describe('fields', () => {
  it('takes events with no context, an empty context, or a context without a library', async () => {
    const batch = [makeEvent({ context: undefined }), { ...makeEvent(), context: {} }, { ...makeEvent(), context: { locale: 'de' } }];
    expect(await post('/v1/batch', JSON.stringify({ batch }))).toEqual({ status: 200, body: { accepted: 3, duplicates: 0 } });
    expect(stored().map((row) => row.body['context'])).toEqual([undefined, {}, { locale: 'de' }]);
  });

  it('takes optional fields sent as null as absent (analytics.js sends userId: null before identify)', async () => {
    const event = { ...makeEvent(), userId: null, properties: null, context: null, originalTimestamp: null, sentAt: null };
    expect(await post('/v1/t', JSON.stringify(event))).toEqual({ status: 200, body: { accepted: 1, duplicates: 0 } });
    const [row] = stored();
    expect(row!.user_id).toBeNull();
    expect(Object.keys(row!.body).sort()).toEqual(['anonymousId', 'event', 'messageId', 'timestamp', 'type']);
    expect((await post('/v1/s', JSON.stringify({ ...makeEvent({ type: 'screen' }), name: null }))).body.issues).toEqual([
      { path: 'name', message: 'is required (a string)' },
    ]);
  });

  it('assigns a messageId to an event sent without one (each send is then stored anew)', async () => {
    const { messageId: _id, ...event } = makeEvent();
    await post('/v1/track', JSON.stringify(event));
    await post('/v1/track', JSON.stringify(event));
    const ids = stored().map((row) => row.event_id);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('takes the time from timestamp, else originalTimestamp, else the time received', async () => {
    const { timestamp: _t, ...event } = makeEvent();
    const before = Date.now();
    await post('/v1/batch', JSON.stringify({ batch: [{ ...event, messageId: 'no-time' }, { ...event, messageId: 'original', originalTimestamp: '2026-01-02T03:04:05.000Z' }] }));
    const [received, original] = stored();
    expect(received!.time_ms).toBeGreaterThanOrEqual(before);
    expect(received!.time_ms).toBe(received!.received_ms);
    expect(original!.body).toMatchObject({ timestamp: '2026-01-02T03:04:05.000Z' });
  });

  it('corrects a sender’s clock skew with sentAt as Segment does, keeping the time as sent', async () => {
    // The sender's clock is an hour fast: it stamped the event 10 s before it sent it.
    const sentAt = new Date(Date.now() + 3_600_000);
    const timestamp = new Date(sentAt.getTime() - 10_000).toISOString();
    await post('/v1/batch', JSON.stringify({ batch: [{ ...makeEvent(), messageId: 'skewed', timestamp }], sentAt: sentAt.toISOString() }));
    // A single event's own sentAt is its request's (as analytics.js sends it to /v1/t).
    await post('/v1/t', JSON.stringify({ ...makeEvent(), messageId: 'single', timestamp, sentAt: sentAt.toISOString() }));
    for (const row of stored()) {
      // timestamp + (received − sentAt): 10 s before it was received.
      expect(row.time_ms, row.event_id).toBe(row.received_ms - 10_000);
      expect(row.body).toMatchObject({ timestamp: new Date(row.time_ms).toISOString(), originalTimestamp: timestamp });
    }
    expect(stored()).toHaveLength(2);
  });

  it('puts a batch’s context under each event’s own', async () => {
    const batch = [makeEvent({ context: undefined }), { ...makeEvent(), context: { locale: 'de' } }];
    await post('/v1/batch', JSON.stringify({ batch, context: { locale: 'en', library: { name: 'analytics-go', version: '3' } } }));
    expect(stored().map((row) => row.body['context'])).toEqual([
      { locale: 'en', library: { name: 'analytics-go', version: '3' } },
      { locale: 'de', library: { name: 'analytics-go', version: '3' } },
    ]);
  });
});
