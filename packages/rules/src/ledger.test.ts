import { describe, expect, it } from 'vitest';
import { addRecord, compileCatalog, emptyLedger, mergeLedgers, parseLedger, prune, record, recordPageView, sessionAt, type Ledger, type Message } from './index.js';

const now = Date.parse('2026-06-01T12:00:00Z');
const day = 86_400_000;
const message = (id: string, extra: Partial<Message> = {}): Message => ({ id, layout: { type: 'banner' }, content: { title: id }, ...extra });

describe('addRecord', () => {
  it('records exactly as record does, without checking the record', () => {
    const entries = [
      { messageId: 'a', type: 'shown', at: 1000, tab: 'x1' },
      { messageId: 'a', type: 'dismissed', at: 2000 },
      { messageId: 'b', type: 'action', at: 3000, tab: 'x2' },
    ] as const;
    expect(entries.reduce(addRecord, emptyLedger())).toEqual(entries.reduce(record, emptyLedger()));
    expect(() => record(emptyLedger(), { messageId: 'a', type: 'shown', at: Number.NaN })).toThrow(TypeError);
  });
});

describe('record', () => {
  it('adds shows, dismissals and actions per message, oldest first', () => {
    let ledger = record(emptyLedger(), { messageId: 'a', type: 'shown', at: 200 });
    ledger = record(ledger, { messageId: 'a', type: 'shown', at: 100 });
    ledger = record(ledger, { messageId: 'a', type: 'dismissed', at: 300 });
    ledger = record(ledger, { messageId: 'b', type: 'action', at: 400, actionId: 'signup' });
    expect(ledger).toEqual({ v: 1, messages: { a: { s: [100, 200], d: [300] }, b: { a: [400] } } });
  });

  it('never changes the ledger it is given', () => {
    const before = emptyLedger();
    record(before, { messageId: 'a', type: 'shown', at: 1 });
    expect(before).toEqual(emptyLedger());
  });

  it('records the same record once, so replaying is safe', () => {
    const once = record(emptyLedger(), { messageId: 'a', type: 'shown', at: 100, tab: 'k3x9' });
    expect(record(once, { messageId: 'a', type: 'shown', at: 100, tab: 'k3x9' })).toEqual(once);
  });

  it('keeps two tabs apart within one millisecond with a sub-millisecond fraction per tab', () => {
    const one = record(emptyLedger(), { messageId: 'a', type: 'shown', at: 100, tab: 'k3x9' });
    const other = record(emptyLedger(), { messageId: 'a', type: 'shown', at: 100, tab: 'q7m2' });
    const shown = mergeLedgers(one, other).messages.a!.s!;
    expect(shown).toHaveLength(2);
    for (const at of shown) expect(Math.floor(at)).toBe(100);
  });

  it.each([
    [{ messageId: 'Not An Id', type: 'shown', at: 1 }],
    [{ messageId: 42, type: 'shown', at: 1 }],
    [{ messageId: 'a', type: 'clicked', at: 1 }],
    [{ messageId: 'a', type: 'shown', at: Number.NaN }],
    [{ messageId: 'a', type: 'shown', at: '2026-06-01' }],
    [{ messageId: 'a', type: 'shown', at: 1, tab: 7 }],
  ])('refuses %j with a TypeError that shows the expected shape', (entry) => {
    expect(() => record(emptyLedger(), entry as never)).toThrow(/^record: expected \{ messageId, type: "shown" \| "dismissed" \| "action", at: epoch ms, tab\?: string \}, got /);
  });
});

describe('sessions', () => {
  it('a page view starts a session, continues it within 30 minutes, and starts a new one after', () => {
    let ledger = recordPageView(emptyLedger(), now);
    expect(ledger.session).toEqual({ start: now, last: now, views: 1 });
    ledger = recordPageView(ledger, now + 29 * 60_000);
    expect(ledger.session).toEqual({ start: now, last: now + 29 * 60_000, views: 2 });
    // The new session began when the old one timed out, so shows in between count toward it.
    ledger = recordPageView(ledger, now + 90 * 60_000);
    expect(ledger.session).toEqual({ start: now + 59 * 60_000 + 1, last: now + 90 * 60_000, views: 1 });
  });

  it('sessionAt: the session in effect, a new one with no page view after a timeout, and every show before any page view', () => {
    const ledger = recordPageView(emptyLedger(), now);
    expect(sessionAt(ledger, now + 60_000)).toEqual(ledger.session);
    expect(sessionAt(ledger, now + 5_000, { sessionTimeoutMs: 1_000 })).toEqual({ start: now + 1_001, last: now + 5_000, views: 0 });
    expect(sessionAt(emptyLedger(), now)).toEqual({ start: -Infinity, last: now, views: 0 });
    expect(recordPageView(ledger, now + 5_000, { sessionTimeoutMs: 1_000 }).session).toEqual({ start: now + 1_001, last: now + 5_000, views: 1 });
  });
});

describe('mergeLedgers', () => {
  it('is the union of both histories', () => {
    const a = record(record(emptyLedger(), { messageId: 'x', type: 'shown', at: 1 }), { messageId: 'y', type: 'dismissed', at: 5 });
    const b = record(record(emptyLedger(), { messageId: 'x', type: 'shown', at: 2 }), { messageId: 'x', type: 'shown', at: 1 });
    expect(mergeLedgers(a, b)).toEqual({ v: 1, messages: { x: { s: [1, 2] }, y: { d: [5] } } });
  });

  it('keeps the later session, and within one session the copy that saw more', () => {
    const early = recordPageView(emptyLedger(), now);
    const late = recordPageView(emptyLedger(), now + day);
    expect(mergeLedgers(early, late).session).toEqual(late.session);
    expect(mergeLedgers(late, early).session).toEqual(late.session);
    const more = recordPageView(early, now + 1_000);
    expect(mergeLedgers(early, more).session).toEqual(more.session);
    expect(mergeLedgers(emptyLedger(), early).session).toEqual(early.session);
  });
});

describe('parseLedger', () => {
  it('reads back what was stored, as text or as a value', () => {
    const ledger = recordPageView(record(emptyLedger(), { messageId: 'a', type: 'shown', at: now, tab: 't' }), now);
    expect(parseLedger(JSON.stringify(ledger))).toEqual(ledger);
    expect(parseLedger(JSON.parse(JSON.stringify(ledger)))).toEqual(ledger);
  });

  it.each([undefined, null, '', 'not json', '{"v":2,"messages":{}}', '[]', 42, { v: 1 }, { v: 1, messages: null }, { v: 1, messages: 'abc' }])(
    'gives a fresh ledger for %j, never a throw',
    (stored) => {
      expect(parseLedger(stored)).toEqual(emptyLedger());
    },
  );

  it('keeps every valid part of a damaged ledger', () => {
    const damaged = {
      v: 1,
      messages: {
        good: { s: [300, 'x', 100, 100, null, Infinity, 200], d: 'no', a: [5] },
        'Bad Id': { s: [1] },
        __proto__: { s: [1] },
        empty: null,
      },
      session: { start: now, last: now, views: -1 },
    };
    expect(parseLedger(damaged)).toEqual({ v: 1, messages: { good: { s: [100, 200, 300], a: [5] } } });
    expect(parseLedger({ v: 1, messages: {}, session: { start: now, last: now + 1, views: 2 } }).session).toEqual({ start: now, last: now + 1, views: 2 });
  });
});

describe('prune', () => {
  const catalog = compileCatalog([
    message('capped', { frequency: { maxShows: 2 } }),
    message('windowed', { frequency: { caps: [{ max: 3, per: '7d' }] } }),
    message('session', { frequency: { caps: [{ max: 2, per: 'session' }] } }),
    message('plain'),
  ]);

  it('drops the history of messages no longer in the catalog', () => {
    const ledger = record(record(emptyLedger(), { messageId: 'gone', type: 'shown', at: now }), { messageId: 'plain', type: 'shown', at: now });
    expect(Object.keys(prune(ledger, catalog, now).messages)).toEqual(['plain']);
  });

  it('keeps what a cap can count and the latest show, dismissal and action', () => {
    const times = [30, 20, 10, 6, 5, 2, 1].map((days) => now - days * day);
    let ledger: Ledger = recordPageView(emptyLedger(), now - 1_000);
    for (const id of ['capped', 'windowed', 'session', 'plain']) {
      for (const at of [...times, now]) ledger = record(ledger, { messageId: id, type: 'shown', at });
      for (const at of times) ledger = record(ledger, { messageId: id, type: 'dismissed', at });
    }
    const pruned = prune(ledger, catalog, now);
    expect(pruned.messages.capped).toEqual({ s: [now - day, now], d: [now - day] });
    // Three in the last 7 days are all a cap of 3 per 7d can count.
    expect(pruned.messages.windowed).toEqual({ s: [now - 2 * day, now - day, now], d: [now - day] });
    expect(pruned.messages.session).toEqual({ s: [now], d: [now - day] });
    expect(pruned.messages.plain).toEqual({ s: [now], d: [now - day] });
    expect(pruned.session).toEqual(ledger.session);
  });

  it('drops shows older than every window once a newer one is kept', () => {
    const old = [30, 20, 10].reduce((ledger, days) => record(ledger, { messageId: 'windowed', type: 'shown', at: now - days * day }), emptyLedger());
    expect(prune(old, catalog, now).messages.windowed).toEqual({ s: [now - 10 * day] });
  });

  it('takes the parsed messages too (in the full package)', () => {
    const ledger = record(emptyLedger(), { messageId: 'plain', type: 'shown', at: now });
    expect(prune(ledger, [message('plain')], now)).toEqual(prune(ledger, compileCatalog([message('plain')]), now));
  });
});
