import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database, makeEvent, messageEvent, postJson, startTestServer, type TestServer } from './server-harness.js';

let server: TestServer;
afterEach(async () => server?.close());

/** Reads the stored events straight from the SQLite file. */
function storedEvents(file: string): Array<{ event_id: string; person: string; type: string }> {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT e.event_id, p.key AS person, e.type FROM events e LEFT JOIN people p ON p.id = e.person ORDER BY e.seq').all() as Array<{ event_id: string; person: string; type: string }>;
  } finally {
    db.close();
  }
}

/** Sends only headers announcing `length` bytes, or streams `chunks` without a length, and resolves with the response. */
function rawPost(url: string, options: { length?: number; chunks?: Buffer[] }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (options.length !== undefined) headers['content-length'] = options.length;
    const req = request(url, { method: 'POST', headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The server may close the socket while the rest of the body is still being written.
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    if (options.chunks) {
      for (const chunk of options.chunks) req.write(chunk);
      req.end();
    } else {
      req.flushHeaders();
    }
  });
}

describe('POST /v1/batch', () => {
  beforeEach(async () => {
    server = await startTestServer();
  });

  it('stores each event once and answers with accepted and duplicate counts', async () => {
    const events = [makeEvent(), makeEvent({ type: 'page' }), messageEvent('Message Shown', 'coupon')];
    const first = await postJson(`${server.url}/v1/batch`, { batch: events });
    expect(first).toMatchObject({ status: 200, body: { accepted: 3, duplicates: 0 } });
    const replay = await postJson(`${server.url}/v1/batch`, { batch: events });
    expect(replay.body).toEqual({ accepted: 0, duplicates: 3 });
    const mixed = await postJson(`${server.url}/v1/batch`, { batch: [events[0], makeEvent(), events[0]] });
    expect(mixed.body).toEqual({ accepted: 1, duplicates: 2 });
    const ids = storedEvents(server.dbFile).map((e) => e.event_id);
    expect(ids).toHaveLength(4);
    expect(ids.slice(0, 3)).toEqual(events.map((e) => e.messageId));
  });

  it('accepts text/plain bodies holding JSON (navigator.sendBeacon with a string)', async () => {
    const response = await postJson(`${server.url}/v1/batch`, JSON.stringify({ batch: [makeEvent()] }), { 'content-type': 'text/plain;charset=UTF-8' });
    expect(response).toMatchObject({ status: 200, body: { accepted: 1 } });
  });

  it('answers malformed JSON with 400 and the parser message', async () => {
    const response = await postJson(`${server.url}/v1/batch`, '{"batch": [');
    expect(response.status).toBe(400);
    expect(response.body.error).toMatch(/^malformed JSON: /);
  });

  it('stores the valid events of a batch and refuses the others one by one, naming each index and field', async () => {
    const good = makeEvent();
    const late = makeEvent();
    const response = await postJson(`${server.url}/v1/batch`, {
      batch: [good, { ...makeEvent(), timestamp: 'yesterday' }, { ...makeEvent(), type: 'click' }, { ...makeEvent(), anonymousId: undefined }, late],
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ accepted: 2, duplicates: 0 });
    const refused = response.body.refused as Array<{ index: number; messageId?: string; reason: string }>;
    expect(refused.map((r) => r.index)).toEqual([1, 2, 3]);
    expect(refused[0]!.reason).toMatch(/^batch\[1\]\.timestamp: must be an ISO 8601 date-time/);
    expect(refused[1]!.reason).toMatch(/^batch\[2\]\.type: /);
    expect(refused[2]!.reason).toMatch(/^batch\[3\]\.anonymousId: is required/);
    expect(refused.every((r) => typeof r.messageId === 'string')).toBe(true);
    expect(storedEvents(server.dbFile).map((e) => e.event_id)).toEqual([good.messageId, late.messageId]);
  });

  it('answers 400 listing each path when no event of the batch is valid, or the body is not a batch', async () => {
    const response = await postJson(`${server.url}/v1/batch`, { batch: [{ ...makeEvent(), timestamp: 'yesterday' }, { ...makeEvent(), type: 'click' }] });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('batch does not match the event schema');
    const paths = (response.body.issues as Array<{ path: string; message: string }>).map((i) => i.path);
    expect(paths).toEqual(['batch[0].timestamp', 'batch[1].type']);
    expect((response.body.refused as unknown[]).length).toBe(2);
    expect(storedEvents(server.dbFile)).toEqual([]);
    expect((await postJson(`${server.url}/v1/batch`, { events: [] })).body.issues).toEqual([expect.objectContaining({ path: 'batch' })]);
  });

  it('reads the body as JSON whatever its content type, as the Segment tracking API does', async () => {
    const body = JSON.stringify({ batch: [makeEvent()] });
    const form = await postJson(`${server.url}/v1/batch`, body, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form).toMatchObject({ status: 200, body: { accepted: 1 } });
    const notJson = await postJson(`${server.url}/v1/batch`, 'batch=1', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toMatch(/^malformed JSON: /);
  });

  it('answers a body over 512 kB with 413 from its Content-Length, without waiting for the body', async () => {
    const response = await rawPost(`${server.url}/v1/batch`, { length: 600 * 1024 });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body).error).toContain('larger than 512 kB');
  });

  it('answers a streamed body with 413 as soon as it passes 512 kB', async () => {
    const chunks = Array.from({ length: 40 }, () => Buffer.alloc(64 * 1024, 0x20));
    const response = await rawPost(`${server.url}/v1/batch`, { chunks });
    expect(response.status).toBe(413);
    expect(storedEvents(server.dbFile)).toEqual([]);
  });

  it('stores nothing of a batch that fails half-way (one transaction per batch)', async () => {
    await postJson(`${server.url}/v1/batch`, { batch: [makeEvent()] });
    const db = new Database(server.dbFile);
    // A fault inside SQLite at the 50th insert of the next batch.
    db.exec(`CREATE TRIGGER crash BEFORE INSERT ON events WHEN NEW.event_id = 'boom' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
    db.close();
    const batch = Array.from({ length: 100 }, (_, i) => makeEvent(i === 49 ? { messageId: 'boom' } : {}));
    const response = await postJson(`${server.url}/v1/batch`, { batch });
    expect(response.status).toBe(500);
    expect(response.body.error).toMatch(/^internal error/);
    expect(JSON.stringify(response.body)).not.toContain('disk on fire');
    expect(storedEvents(server.dbFile)).toHaveLength(1);
    expect(server.logs.some((entry) => entry.level === 'error' && String(entry.error).includes('disk on fire'))).toBe(true);
  });
});

describe('write key', () => {
  beforeEach(async () => {
    server = await startTestServer({ writeKey: 'w-secret' });
  });

  it('is required in the x-beckon-write-key header or the writeKey query parameter', async () => {
    const body = { batch: [makeEvent()] };
    const missing = await postJson(`${server.url}/v1/batch`, body);
    expect(missing.status).toBe(401);
    expect(missing.body.error).toContain('write key missing');
    expect((await postJson(`${server.url}/v1/batch`, body, { 'x-beckon-write-key': 'nope' })).status).toBe(401);
    expect((await postJson(`${server.url}/v1/batch?writeKey=nope`, body)).status).toBe(401);
    expect(storedEvents(server.dbFile)).toEqual([]);
    expect((await postJson(`${server.url}/v1/batch`, body, { 'x-beckon-write-key': 'w-secret' })).body).toEqual({ accepted: 1, duplicates: 0 });
    expect((await postJson(`${server.url}/v1/batch?writeKey=w-secret`, { batch: [makeEvent()] })).body).toEqual({ accepted: 1, duplicates: 0 });
  });
});

describe('identity', () => {
  beforeEach(async () => {
    server = await startTestServer();
  });

  it('joins every anonymous event of a visitor to the user once they identify, across devices', async () => {
    const phone = Array.from({ length: 150 }, () => makeEvent({ anonymousId: 'phone' }));
    const laptop = Array.from({ length: 150 }, () => messageEvent('Message Shown', 'coupon', { anonymousId: 'laptop' }));
    const stranger = Array.from({ length: 20 }, () => makeEvent({ anonymousId: 'stranger' }));
    await postJson(`${server.url}/v1/batch`, { batch: [...phone, ...stranger] });
    await postJson(`${server.url}/v1/batch`, { batch: laptop });
    expect(new Set(storedEvents(server.dbFile).map((e) => e.person))).toEqual(new Set(['a:phone', 'a:laptop', 'a:stranger']));

    await postJson(`${server.url}/v1/batch`, {
      batch: [makeEvent({ type: 'identify', anonymousId: 'phone', userId: 'ada' }), makeEvent({ type: 'identify', anonymousId: 'laptop', userId: 'ada' })],
    });
    const after = [makeEvent({ anonymousId: 'phone' })];
    await postJson(`${server.url}/v1/batch`, { batch: after });
    const people = storedEvents(server.dbFile).reduce<Record<string, number>>((count, e) => ({ ...count, [e.person]: (count[e.person] ?? 0) + 1 }), {});
    expect(people).toEqual({ 'u:ada': 150 + 150 + 2 + 1, 'a:stranger': 20 });
  });

  it('keeps the earliest identify as the link when an anonymous id is identified twice', async () => {
    const track = makeEvent({ anonymousId: 'shared' });
    const later = makeEvent({ type: 'identify', anonymousId: 'shared', userId: 'bob' });
    const earlier = makeEvent({ type: 'identify', anonymousId: 'shared', userId: 'ann', timestamp: '2020-01-01T00:00:00Z' });
    await postJson(`${server.url}/v1/batch`, { batch: [track, later] });
    expect(storedEvents(server.dbFile)[0]!.person).toBe('u:bob');
    await postJson(`${server.url}/v1/batch`, { batch: [earlier] });
    expect(storedEvents(server.dbFile)[0]!.person).toBe('u:ann');
  });
});
