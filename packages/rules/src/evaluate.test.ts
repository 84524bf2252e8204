import { describe, expect, it } from 'vitest';
import { compileCatalog, emptyLedger, evaluate, holdoutBucket, record, recordPageView, type EvaluateContext, type Evaluation, type Ledger, type Message } from './index.js';
import { evaluate as evaluateCompiled } from './runtime.js';

const now = Date.parse('2026-06-01T12:00:00Z');
const hour = 3_600_000;
const day = 24 * hour;
const message = (id: string, extra: Partial<Message> = {}): Message => ({ id, layout: { type: 'banner' }, content: { title: id }, ...extra });
const visitor: EvaluateContext = { url: 'https://shop.example.com/pricing', identified: false, visitorId: 'visitor-1' };
/** A ledger in a session that has seen one page view now. */
const fresh = (): Ledger => recordPageView(emptyLedger(), now);

/** Evaluates one message and returns its skip reason and detail, or "show" (with its pending trigger). */
function decide(one: Message, context: Partial<EvaluateContext> = {}, ledger: Ledger = fresh(), at = now): [string, string?] | ['show', unknown] {
  const { show, skipped } = evaluateCompiled(compileCatalog([one]), { ...visitor, ...context }, ledger, at);
  if (show.length) return ['show', show[0]!.trigger];
  return [skipped[0]!.reason, skipped[0]!.detail];
}

const ids = (evaluation: Evaluation) => ({ show: evaluation.show.map((d) => d.message.id), skipped: evaluation.skipped.map((s) => `${s.message.id}:${s.reason}`) });

describe('evaluate: reasons', () => {
  it('shows a message with no rules on any page', () => {
    expect(decide(message('a'))).toEqual(['show', undefined]);
  });

  it('schedule', () => {
    const scheduled = message('a', { schedule: { start: '2026-06-02T00:00:00Z', end: '2026-07-01T00:00:00Z' } });
    expect(decide(scheduled)).toEqual(['schedule', 'starts at 2026-06-02T00:00:00.000Z']);
    expect(decide(scheduled, {}, fresh(), Date.parse('2026-06-02T00:00:00Z'))[0]).toBe('show');
    expect(decide(scheduled, {}, fresh(), Date.parse('2026-07-01T00:00:00Z'))).toEqual(['schedule', 'ended at 2026-07-01T00:00:00.000Z']);
  });

  it('audience', () => {
    expect(decide(message('a'), { identified: true })).toEqual(['audience', 'for anonymous visitors only']);
    expect(decide(message('a', { audience: 'identified' }))).toEqual(['audience', 'for identified visitors only']);
    expect(decide(message('a', { audience: 'identified' }), { identified: true })[0]).toBe('show');
    expect(decide(message('a', { audience: 'everyone' }), { identified: true })[0]).toBe('show');
  });

  it('page', () => {
    expect(decide(message('a', { pages: { include: ['/products/**'] } }))).toEqual(['page', '"/products/**" does not match']);
    expect(decide(message('a', { pages: { include: ['/products/**', '/cart'] } }))).toEqual(['page', 'none of 2 patterns match']);
    expect(decide(message('a', { pages: { exclude: [{ equals: '/pricing' }] } }))).toEqual(['page', 'excluded by { "equals": "/pricing" }']);
    expect(decide(message('a', { pages: { include: ['/pricing'] } }), { url: undefined, screen: 'Home' })).toEqual(['page', 'the context has no url']);
  });

  it('screen', () => {
    const app = { url: undefined, screen: 'CheckoutPayment' };
    expect(decide(message('a', { screens: { include: ['Checkout*'] } }), app)[0]).toBe('show');
    expect(decide(message('a', { screens: { include: ['Cart'] } }), app)).toEqual(['screen', '"Cart" does not match']);
    expect(decide(message('a', { screens: { include: ['Cart'] } }))).toEqual(['screen', 'the context has no screen']);
  });

  it('a message with page and screen rules shows where either matches', () => {
    const both = message('a', { pages: { include: ['/pricing'] }, screens: { include: ['Pricing'] } });
    expect(decide(both)[0]).toBe('show');
    expect(decide(both, { url: undefined, screen: 'Pricing' })[0]).toBe('show');
    expect(decide(both, { url: '/cart' })).toEqual(['page', '"/pricing" does not match']);
    expect(decide(both, { url: undefined, screen: 'Cart' })).toEqual(['screen', '"Pricing" does not match']);
  });

  it('trigger: events', () => {
    const onEvent = message('a', { trigger: { event: 'added_to_cart' } });
    expect(decide(onEvent)).toEqual(['trigger', 'waits for the event "added_to_cart"']);
    expect(decide(onEvent, { event: { name: 'viewed' } })).toEqual(['trigger', 'waits for the event "added_to_cart"']);
    expect(decide(onEvent, { event: { name: 'added_to_cart', properties: { sku: 'x' } } })[0]).toBe('show');
    expect(decide(message('b'), { event: { name: 'added_to_cart' } })).toEqual(['trigger', 'shows on views, not on the event "added_to_cart"']);
  });

  it('trigger: page views this session, from the ledger or from the context', () => {
    const second = message('a', { trigger: { minPageViews: 2 } });
    expect(decide(second)).toEqual(['trigger', 'waits for page view 2; this is 1']);
    expect(decide(second, {}, recordPageView(fresh(), now))[0]).toBe('show');
    expect(decide(second, { session: { startedAt: now, pageViews: 5 } })[0]).toBe('show');
    // A session that timed out is over: the next page view is the first of a new one.
    expect(decide(second, {}, recordPageView(fresh(), now), now + hour)).toEqual(['trigger', 'waits for page view 2; this is 0']);
  });

  it('frequency:cap per session holds for events long after the last page view', () => {
    const once = message('a', { trigger: { event: 'ping' }, frequency: { caps: [{ max: 1, per: 'session' }] } });
    const later = now + 2 * hour;
    const shownLater = record(fresh(), { messageId: 'a', type: 'shown', at: later });
    expect(decide(once, { event: { name: 'ping' } }, fresh(), later)[0]).toBe('show');
    expect(decide(once, { event: { name: 'ping' } }, shownLater, later + 60_000)).toEqual(['frequency:cap', 'shown 1 of 1 times this session (caps[0])']);
    expect(decide(once, { event: { name: 'ping' } }, recordPageView(shownLater, later + 5 * 60_000), later + 6 * 60_000)[0]).toBe('frequency:cap');
  });

  it('comes back with the trigger the caller must arm', () => {
    expect(decide(message('a', { trigger: { delay: '5s', scrollPercent: 50, exitIntent: true } }))).toEqual(['show', { delay: 5_000, scrollPercent: 50, exitIntent: true }]);
    expect(decide(message('a', { trigger: { event: 'x', delay: 250 } }), { event: { name: 'x' } })).toEqual(['show', { delay: 250 }]);
    expect(decide(message('a', { trigger: { exitIntent: false, minPageViews: 1 } }))).toEqual(['show', undefined]);
  });

  it('dismissed and acted', () => {
    const dismissed = record(fresh(), { messageId: 'a', type: 'dismissed', at: now - day });
    const acted = record(fresh(), { messageId: 'a', type: 'action', at: now - day, actionId: 'signup' });
    expect(decide(message('a'), {}, dismissed)).toEqual(['dismissed', 'dismissed at 2026-05-31T12:00:00.000Z (stopOnDismiss)']);
    expect(decide(message('a'), {}, acted)).toEqual(['acted', 'action taken at 2026-05-31T12:00:00.000Z (stopOnAction)']);
    expect(decide(message('a', { frequency: { stopOnDismiss: false } }), {}, dismissed)[0]).toBe('show');
    expect(decide(message('a', { frequency: { stopOnAction: false } }), {}, acted)[0]).toBe('show');
  });

  it('frequency:maxShows', () => {
    const twice = [now - 3 * day, now - 2 * day].reduce((ledger, at) => record(ledger, { messageId: 'a', type: 'shown', at }), fresh());
    expect(decide(message('a', { frequency: { maxShows: 2 } }), {}, twice)).toEqual(['frequency:maxShows', 'shown 2 of 2 times (maxShows)']);
    expect(decide(message('a', { frequency: { maxShows: 3 } }), {}, twice)[0]).toBe('show');
  });

  it('frequency:minInterval', () => {
    const shown = record(fresh(), { messageId: 'a', type: 'shown', at: now - 2 * hour });
    expect(decide(message('a', { frequency: { minInterval: '1d' } }), {}, shown)).toEqual(['frequency:minInterval', 'shown 2h ago (minInterval 1d)']);
    expect(decide(message('a', { frequency: { minInterval: '2h' } }), {}, shown)[0]).toBe('show');
  });

  it('frequency:cap per session and per window', () => {
    let ledger = record(fresh(), { messageId: 'a', type: 'shown', at: now - 2 * day });
    ledger = record(ledger, { messageId: 'a', type: 'shown', at: now });
    expect(decide(message('a', { frequency: { caps: [{ max: 1, per: 'session' }] } }), {}, ledger)).toEqual(['frequency:cap', 'shown 1 of 1 times this session (caps[0])']);
    expect(decide(message('a', { frequency: { caps: [{ max: 3, per: 'session' }, { max: 2, per: '7d' }] } }), {}, ledger)).toEqual([
      'frequency:cap',
      'shown 2 of 2 times in 7d (caps[1])',
    ]);
    expect(decide(message('a', { frequency: { caps: [{ max: 2, per: '1d' }] } }), {}, ledger)[0]).toBe('show');
    // In the next session the session cap starts over.
    const next = recordPageView(ledger, now + 2 * hour);
    expect(decide(message('a', { frequency: { caps: [{ max: 1, per: 'session' }] } }), {}, next, now + 2 * hour)[0]).toBe('show');
  });

  it('holdout: the control group is skipped with its trigger, the same visitor always in the same group', () => {
    const held = message('a', { holdout: 0.5, trigger: { delay: '1s' } });
    const visitors = Array.from({ length: 40 }, (_, i) => `visitor-${i}`);
    const inControl = visitors.filter((visitorId) => holdoutBucket(visitorId, 'a') < 0.5);
    expect(inControl.length).toBeGreaterThan(5);
    expect(inControl.length).toBeLessThan(35);
    for (const visitorId of visitors) {
      const expected = inControl.includes(visitorId) ? ['holdout', 'in the control group (holdout 0.5)'] : ['show', { delay: 1_000 }];
      expect(decide(held, { visitorId })).toEqual(expected);
      expect(decide(held, { visitorId })).toEqual(expected);
    }
    const control = evaluateCompiled(compileCatalog([held]), { ...visitor, visitorId: inControl[0]! }, fresh(), now).skipped[0]!;
    expect(control.trigger).toEqual({ delay: 1_000 });
  });
});

describe('evaluate: order and limits', () => {
  const catalog = compileCatalog([
    message('banner-b', { priority: 1 }),
    message('modal-low', { layout: { type: 'modal' } }),
    message('modal-high', { layout: { type: 'modal' }, priority: 5 }),
    message('banner-a', { priority: 1 }),
  ]);

  it('shows the best first (priority, then id) and one modal at a time', () => {
    expect(ids(evaluateCompiled(catalog, visitor, fresh(), now))).toEqual({ show: ['modal-high', 'banner-a', 'banner-b'], skipped: ['modal-low:limit'] });
    expect(evaluateCompiled(catalog, visitor, fresh(), now).skipped[0]!.detail).toBe('1 modal(s) at a time at most (maxModals)');
  });

  it('allows more modals when asked', () => {
    expect(ids(evaluateCompiled(catalog, visitor, fresh(), now, { maxModals: 2 })).show).toEqual(['modal-high', 'banner-a', 'banner-b', 'modal-low']);
  });

  it('counts the modal already on screen, and does not offer what is showing again', () => {
    expect(ids(evaluateCompiled(catalog, visitor, fresh(), now, { showing: ['modal-high'] }))).toEqual({
      show: ['banner-a', 'banner-b'],
      skipped: ['modal-high:limit', 'modal-low:limit'],
    });
  });

  it('counts only modals of this catalog among those showing: banners and unknown ids leave room for one', () => {
    const showing = ['banner-a', 'gone-from-the-catalog', '__proto__', 'constructor'];
    expect(ids(evaluateCompiled(catalog, visitor, fresh(), now, { showing })).show).toEqual(['modal-high', 'banner-b']);
  });

  it('keeps a minimum interval between any two messages', () => {
    const ledger = record(fresh(), { messageId: 'banner-a', type: 'shown', at: now - 5 * 60_000 });
    const result = evaluateCompiled(catalog, visitor, ledger, now, { minIntervalBetweenMessages: 10 * 60_000 });
    expect(result.show).toEqual([]);
    expect(result.skipped.map((skip) => skip.detail)).toContain('a message was shown 5m ago (minIntervalBetweenMessages)');
    expect(evaluateCompiled(catalog, visitor, ledger, now, { minIntervalBetweenMessages: 5 * 60_000 }).show).toHaveLength(3);
  });

  it('gives every message exactly one place in the result', () => {
    const result = evaluateCompiled(catalog, visitor, fresh(), now);
    expect([...result.show.map((d) => d.message.id), ...result.skipped.map((s) => s.message.id)].sort()).toEqual(['banner-a', 'banner-b', 'modal-high', 'modal-low']);
  });

  it('hands each caller its own copy of a pending trigger', () => {
    const delayed = compileCatalog([message('a', { trigger: { delay: 100 } })]);
    const first = evaluateCompiled(delayed, visitor, fresh(), now).show[0]!.trigger!;
    first.delay = 1;
    expect(evaluateCompiled(delayed, visitor, fresh(), now).show[0]!.trigger).toEqual({ delay: 100 });
  });
});

describe('evaluate: inputs', () => {
  it('the full package evaluates parsed messages, compiling them once', () => {
    const messages = [message('a', { pages: { include: ['/pricing'] } }), message('b', { pages: { include: ['/cart'] } })];
    expect(ids(evaluate(messages, visitor, fresh(), now))).toEqual({ show: ['a'], skipped: ['b:page'] });
    expect(evaluate(messages, visitor, fresh(), now).show[0]!.message).toBe(evaluate(messages, visitor, fresh(), now).show[0]!.message);
  });

  it('refuses what is not a compiled catalog with a clear error', () => {
    expect(() => evaluateCompiled({ messages: [] } as never, visitor, fresh(), now)).toThrow('evaluate: not a compiled catalog (v: 1); use compileCatalog');
  });

  it('does not change the catalog or the ledger', () => {
    const catalog = compileCatalog([message('a', { frequency: { maxShows: 1 } })]);
    const ledger = fresh();
    const before = JSON.stringify([catalog, ledger]);
    evaluateCompiled(catalog, visitor, ledger, now);
    expect(JSON.stringify([catalog, ledger])).toBe(before);
  });
});
