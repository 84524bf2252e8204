// Times in the ledger later than `now`: a device clock that ran ahead, a tab's sub-millisecond fraction, or a
// forged event. They count as `now`; they never make a time since a show negative or lock a visitor out.
import { describe, expect, it } from 'vitest';
import { compileCatalog, emptyLedger, prune, record, recordPageView, type Message } from './index.js';
import { evaluate } from './runtime.js';

const now = Date.parse('2026-06-01T12:00:00Z');
const day = 86_400_000;
const message = (id: string, extra: Partial<Message> = {}): Message => ({ id, layout: { type: 'banner' }, content: { title: id }, ...extra });
const visitor = { url: '/pricing', identified: false, visitorId: 'v' };
const year9999 = Date.parse('9999-12-31T00:00:00Z');

describe('evaluate with ledger times later than now', () => {
  it('a show recorded in this millisecond by a tab (a sub-millisecond later time) does not hold every message back', () => {
    const catalog = compileCatalog([message('a'), message('b')]);
    const ledger = record(recordPageView(emptyLedger(), now), { messageId: 'a', type: 'shown', at: now, tab: 'k3x9' });
    expect(ledger.messages.a!.s![0]).toBeGreaterThan(now);
    const { show, skipped } = evaluate(catalog, visitor, ledger, now);
    expect(skipped.map((s) => s.detail)).not.toContain('a message was shown 0ms ago (minIntervalBetweenMessages)');
    expect(show.map((d) => d.message.id)).toEqual(['a', 'b']);
  });

  it('a show dated in the year 9999 counts as a show now, not one that keeps every message away', () => {
    const catalog = compileCatalog([message('a', { frequency: { minInterval: '1d' } }), message('b')]);
    const ledger = record(recordPageView(emptyLedger(), now), { messageId: 'a', type: 'shown', at: year9999 });
    const first = evaluate(catalog, visitor, ledger, now, { minIntervalBetweenMessages: 60_000 });
    expect(first.skipped.map((s) => s.detail)).toEqual(['shown 0ms ago (minInterval 1d)', 'a message was shown 0ms ago (minIntervalBetweenMessages)']);
    // Stored after prune (as the browser and the server do), it is a show at that moment: a day later, both show.
    const stored = prune(ledger, catalog, now);
    expect(stored.messages.a!.s).toEqual([now]);
    expect(evaluate(catalog, visitor, recordPageView(stored, now + day), now + day, { minIntervalBetweenMessages: 60_000 }).show.map((d) => d.message.id)).toEqual(['a', 'b']);
  });

  it('prune takes dismissals, actions and the session later than now as now too', () => {
    const catalog = compileCatalog([message('a', { frequency: { stopOnDismiss: false, caps: [{ max: 1, per: 'session' }] } })]);
    let ledger = recordPageView(emptyLedger(), year9999);
    ledger = record(record(ledger, { messageId: 'a', type: 'dismissed', at: year9999 }), { messageId: 'a', type: 'action', at: year9999 + 1 });
    const pruned = prune(ledger, catalog, now);
    expect(pruned.messages.a).toEqual({ d: [now], a: [now] });
    expect(pruned.session).toEqual({ start: now, last: now, views: 1 });
  });
});
