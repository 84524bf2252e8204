// Erasure and access over real HTTP, on a SQLite file and on a real PostgreSQL: GET and DELETE
// /v1/people/{id} behind the admin key, metrics after an erasure, a late event refused in the batch
// answer, ids with odd characters, and what of an event's context is stored (never an IP address).
import { readFileSync, existsSync } from 'node:fs';
import { computeMetrics, type BeckonEvent } from '@beckon/tracking';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../packages/server/src/storage/conformance/postgres-database.js';
import { makeEvent, messageEvent, postJson, startTestServer, type TestServer } from './server-harness.js';

const ADMIN = 'admin-secret';
const READ = 'read-secret';
const WRITE = 'write-secret';
const IP = '203.0.113.77';
const UA = 'Mozilla/5.0 (X11; Linux x86_64) PeopleTest/1.0';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const engines = [
  { name: 'sqlite', db: async () => undefined },
  { name: 'postgres', db: () => database.schemaUrl() },
] as const;

describe.each(engines)('people on $name', ({ name, db }) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ db: await db(), adminKey: ADMIN, readKey: READ, writeKey: WRITE });
  });
  afterAll(() => server?.close());

  const send = (batch: unknown[], context?: unknown) => postJson(`${server.url}/v1/batch`, { batch, ...(context ? { context } : {}) }, { 'x-beckon-write-key': WRITE });
  const people = async (method: 'GET' | 'DELETE', id: string, headers: Record<string, string> = { 'x-beckon-admin-key': ADMIN }, query = '') => {
    const response = await fetch(`${server.url}/v1/people/${encodeURIComponent(id)}${query}`, { method, headers });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const metrics = async () => {
    const response = await fetch(`${server.url}/v1/metrics?from=2026-01-01&to=2026-03-01`, { headers: { 'x-beckon-read-key': READ } });
    return ((await response.json()) as { messages: unknown[] }).messages;
  };
  const range = { from: Date.parse('2026-01-01'), to: Date.parse('2026-03-01') };
  const goals = { coupon: { event: 'Order Completed', windowMs: 86_400_000 } };

  it('opens the people endpoints only with the admin key: read and write keys do not, a wrong one is 401', async () => {
    for (const method of ['GET', 'DELETE'] as const) {
      expect(await people(method, 'someone', {})).toEqual({ status: 401, body: { error: expect.stringMatching(/^admin key missing/) } });
      expect((await people(method, 'someone', { 'x-beckon-admin-key': 'nope' })).status).toBe(401);
      expect((await people(method, 'someone', { authorization: `Bearer ${READ}` })).body).toEqual({ error: 'admin key is wrong' });
      expect((await people(method, 'someone', { 'x-beckon-admin-key': WRITE })).status).toBe(401);
      expect((await people(method, 'someone', { authorization: `Bearer ${ADMIN}` })).status).toBe(404);
    }
  });

  it('erases a user with two linked anonymous ids: the answer counts what went, metrics follow, late events are refused', async () => {
    const theirs: BeckonEvent[] = [
      messageEvent('Message Shown', 'coupon', { anonymousId: `${name}-laptop` }),
      messageEvent('Message Shown', 'coupon', { anonymousId: `${name}-phone` }),
      makeEvent({ type: 'identify', anonymousId: `${name}-laptop`, userId: `${name}-ada` }),
      makeEvent({ type: 'identify', anonymousId: `${name}-phone`, userId: `${name}-ada` }),
      makeEvent({ event: 'Order Completed', anonymousId: `${name}-phone`, userId: `${name}-ada` }),
    ];
    const others: BeckonEvent[] = [messageEvent('Message Shown', 'coupon', { anonymousId: `${name}-bob` }), makeEvent({ event: 'Order Completed', anonymousId: `${name}-bob` })];
    expect((await send([...theirs, ...others])).body).toEqual({ accepted: 7, duplicates: 0 });
    expect(await metrics()).toEqual(computeMetrics([...theirs, ...others], { ...range, goals }));

    const access = await people('GET', `${name}-phone`);
    expect(access.status).toBe(200);
    expect(access.body).toMatchObject({ userId: `${name}-ada`, anonymousIds: [`${name}-laptop`, `${name}-phone`] });
    expect((access.body['events'] as unknown[]).length).toBe(5);

    const erased = await people('DELETE', `${name}-ada`);
    expect(erased).toEqual({
      status: 200,
      body: {
        erased: { userId: `${name}-ada`, anonymousIds: [`${name}-laptop`, `${name}-phone`] },
        deleted: { events: 5, identityLinks: 2, ledgers: 1 },
        refusedUntil: expect.any(String),
      },
    });
    // Refused for the default anonymous retention, 30 days.
    expect(Date.parse(erased.body['refusedUntil'] as string) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(await metrics()).toEqual(computeMetrics(others, { ...range, goals }));
    expect((await people('GET', `${name}-ada`)).status).toBe(404);
    expect((await people('DELETE', `${name}-laptop`)).body).toEqual({
      error: `no person with user id or anonymous id "${name}-laptop" is stored: nothing was read or deleted`,
    });

    // A browser queue that was offline sends one of their events late, beside a stranger's.
    const late = messageEvent('Message Shown', 'coupon', { anonymousId: `${name}-laptop` });
    const stranger = messageEvent('Message Shown', 'coupon', { anonymousId: `${name}-carol` });
    expect((await send([stranger, late])).body).toEqual({
      accepted: 1,
      duplicates: 0,
      refused: [{ index: 1, messageId: late.messageId, reason: "batch[1]: this person's data was erased on request; their events are not stored" }],
    });
    expect((await people('GET', `${name}-laptop`)).status).toBe(404);
    expect((await people('GET', `${name}-carol`)).status).toBe(200);
    // Their browser still asks what to show: it is answered, and its visit leaves nothing stored.
    const decide = await postJson(`${server.url}/v1/decide`, { anonymousId: `${name}-laptop`, url: 'https://shop.example/pricing' }, { 'x-beckon-write-key': WRITE });
    expect(decide).toMatchObject({ status: 200, body: { identified: false, show: [{ id: 'coupon' }] } });
    expect((await people('GET', `${name}-laptop`)).status).toBe(404);
  });

  it('takes ids with odd characters, tells an ambiguous id apart, and refuses a malformed one', async () => {
    const odd = `${name} ü/ä?#%&=+ '"; DROP TABLE events; --`;
    await send([messageEvent('Message Shown', 'coupon', { anonymousId: odd })]);
    expect(await people('GET', odd)).toMatchObject({ status: 200, body: { userId: null, anonymousIds: [odd] } });
    expect(await people('DELETE', odd)).toMatchObject({ status: 200, body: { deleted: { events: 1 } } });

    // "same" is the user id of one person and the anonymous id of another.
    await send([makeEvent({ event: 'Order Completed', anonymousId: 'x1', userId: `${name}-same` }), messageEvent('Message Shown', 'coupon', { anonymousId: `${name}-same` })]);
    expect((await people('DELETE', `${name}-same`)).status).toBe(409);
    expect((await people('GET', `${name}-same`, undefined, '?as=anonymous')).body).toMatchObject({ userId: null, anonymousIds: [`${name}-same`] });
    expect((await people('DELETE', `${name}-same`, undefined, '?as=user')).body).toMatchObject({ erased: { userId: `${name}-same` }, deleted: { events: 1 } });
    expect((await people('GET', `${name}-same`, undefined, '?as=anonymous')).status).toBe(200);
    expect((await people('GET', `${name}-same`, undefined, '?as=people')).body).toEqual({
      error: 'as "people" is not allowed: use as=user or as=anonymous (or leave it out for either)',
    });
    const malformed = await fetch(`${server.url}/v1/people/%E0%A4%A`, { headers: { 'x-beckon-admin-key': ADMIN } });
    expect(malformed.status).toBe(400);
    const empty = await fetch(`${server.url}/v1/people/`, { method: 'DELETE', headers: { 'x-beckon-admin-key': ADMIN } });
    expect(empty.status).toBe(400);
  });

  it('stores no IP address, and of the context only the library', async () => {
    const event = makeEvent({ anonymousId: `${name}-ip`, context: { ip: IP, userAgent: UA, page: { url: 'https://shop.example/?email=a@b.c' }, library: { name: 'analytics.js', version: '1' } } } as Partial<BeckonEvent>);
    await send([event], { ip: IP });
    const stored = (await people('GET', `${name}-ip`)).body['events'] as Array<{ event: Record<string, unknown> }>;
    expect(stored.map((e) => e.event['context'])).toEqual([{ library: { name: 'analytics.js', version: '1' } }]);
    if (name === 'sqlite') {
      // Every byte of the database (and its write-ahead log): the address is nowhere.
      const bytes = Buffer.concat([server.dbFile, `${server.dbFile}-wal`].filter(existsSync).map((file) => readFileSync(file)));
      expect(bytes.includes(IP)).toBe(false);
      expect(bytes.includes('PeopleTest/1.0')).toBe(false);
    } else {
      const { rows } = await database.admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${await lastSchema()}.events WHERE body LIKE '%' || $1 || '%'`, [IP]);
      expect(rows[0]!.n).toBe(0);
    }
  });
});

/** The schema the postgres run's server uses (the newest one made in the test database). */
async function lastSchema(): Promise<string> {
  const { rows } = await database.admin.query<{ name: string }>("SELECT nspname AS name FROM pg_namespace WHERE nspname ~ '^s[0-9]+$' ORDER BY nspname DESC LIMIT 1");
  return rows[0]!.name;
}

describe('people endpoints and context options', () => {
  it('answers 403 naming the option when no admin key is configured, and stores the context (never the IP) with storeContext', async () => {
    const server = await startTestServer({ storeContext: true });
    try {
      const response = await fetch(`${server.url}/v1/people/anyone`, { method: 'DELETE' });
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({
        error: 'the people endpoints are off: start the server with an admin key (--admin-key or BECKON_ADMIN_KEY) to use them',
      });
      await postJson(`${server.url}/v1/batch`, { batch: [makeEvent({ context: { ip: IP, userAgent: UA } } as Partial<BeckonEvent>)] });
      const bytes = Buffer.concat([server.dbFile, `${server.dbFile}-wal`].filter(existsSync).map((file) => readFileSync(file)));
      expect(bytes.includes('PeopleTest/1.0')).toBe(true);
      expect(bytes.includes(IP)).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('answers 503 while PostgreSQL refuses connections, and erases once it is back', async () => {
    const own = await createTestDatabase();
    const server = await startTestServer({ db: own.url, adminKey: ADMIN });
    try {
      await postJson(`${server.url}/v1/batch`, { batch: [makeEvent({ anonymousId: 'down-1' })] });
      await own.server.query(`ALTER DATABASE ${own.name} ALLOW_CONNECTIONS false`);
      await own.admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
      const down = await fetch(`${server.url}/v1/people/down-1`, { method: 'DELETE', headers: { 'x-beckon-admin-key': ADMIN } });
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('5');
      // The log says which endpoint failed, never whose data was asked for.
      const messages = server.logs.map((entry) => entry.message);
      expect(messages).toContainEqual(expect.stringMatching(/^DELETE \/v1\/people\/\{id\} answered 503/));
      expect(messages.join('\n')).not.toContain('down-1');
      await own.server.query(`ALTER DATABASE ${own.name} ALLOW_CONNECTIONS true`);
      const back = await fetch(`${server.url}/v1/people/down-1`, { method: 'DELETE', headers: { 'x-beckon-admin-key': ADMIN } });
      expect(await back.json()).toMatchObject({ deleted: { events: 1 } });
    } finally {
      await server.close();
      await own.drop();
    }
  });
});
