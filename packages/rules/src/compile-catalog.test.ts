import { describe, expect, it } from 'vitest';
import { compileCatalog, emptyLedger, evaluate, isCompiledCatalog, parseCatalog, recordPageView, type CompiledCatalog, type Message } from './index.js';

const message = (id: string, extra: Partial<Message> = {}): Message => ({ id, layout: { type: 'banner' }, content: { title: id }, ...extra });

describe('compileCatalog', () => {
  it('turns durations into milliseconds, dates into epoch milliseconds, and fills in the defaults', () => {
    const [compiled] = compileCatalog([
      message('a', {
        trigger: { delay: '5s', scrollPercent: 50 },
        frequency: { minInterval: '1d', caps: [{ max: 1, per: 'session' }, { max: 2, per: '12h' }] },
        schedule: { start: '2026-12-01T00:00:00Z', end: '2027-01-01' },
        goal: { event: 'identify' },
      }),
    ]).messages;
    expect(compiled).toEqual({
      id: 'a',
      audience: 'anonymous',
      frequency: { stopOnDismiss: true, stopOnAction: true, minInterval: 86_400_000, caps: [{ max: 1, per: 'session' }, { max: 2, per: 43_200_000 }] },
      priority: 0,
      holdout: 0,
      layout: { type: 'banner' },
      content: { title: 'a' },
      trigger: { delay: 5_000, scrollPercent: 50 },
      schedule: { start: Date.parse('2026-12-01T00:00:00Z'), end: Date.parse('2027-01-01T00:00:00Z') },
      goal: { event: 'identify', window: 604_800_000 },
    });
  });

  it('is plain JSON: what crosses the wire evaluates the same', () => {
    const catalog = compileCatalog([
      message('a', { pages: { include: ['/products/**', { regex: '^/p/\\d+$' }], exclude: [{ contains: 'x' }] } }),
      message('b', { screens: { include: ['Checkout*'] }, schedule: { start: '2026-06-01T00:00:00Z' }, frequency: { minInterval: '1h' } }),
    ]);
    const wire = JSON.parse(JSON.stringify(catalog)) as CompiledCatalog;
    expect(wire).toEqual(catalog);
    expect(Object.values(catalog.messages[0]!).includes(undefined)).toBe(false);
    expect(isCompiledCatalog(wire)).toBe(true);
    const now = Date.parse('2026-06-02T00:00:00Z');
    const decisions = (compiled: CompiledCatalog, url: string, screen?: string) => {
      const { show, skipped } = evaluate(compiled, { url, screen, identified: false, visitorId: 'v1' }, recordPageView(emptyLedger(), now), now);
      return [show.map((d) => d.message.id), skipped.map((s) => `${s.message.id}:${s.reason}`)];
    };
    for (const [url, screen] of [['/products/shoes/1'], ['/p/42'], ['/p/x42'], ['/pricing'], ['/', 'CheckoutPayment']]) {
      expect(decisions(wire, url!, screen)).toEqual(decisions(catalog, url!, screen));
    }
    // And the decisions differ from page to page, so the comparison above could tell them apart.
    expect(decisions(wire, '/p/42')).toEqual([['a'], ['b:screen']]);
    expect(decisions(wire, '/p/x42')).toEqual([[], ['a:page', 'b:screen']]);
  });

  it('stores each distinct pattern once and refers to it by index', () => {
    const catalog = compileCatalog([
      message('a', { pages: { include: ['/pricing', '/plans/*'] } }),
      message('b', { pages: { include: ['/plans/*'], exclude: ['/pricing'] } }),
      message('c', { screens: { include: ['/plans/*'] } }),
    ]);
    expect(catalog.patterns.map((pattern) => `${pattern.on} ${pattern.text}`)).toEqual(['path "/pricing"', 'path "/plans/*"', 'screen "/plans/*"']);
    expect(catalog.messages.map(({ pages, screens }) => [pages, screens])).toEqual([
      [{ include: [0, 1], exclude: [] }, undefined],
      [{ include: [1], exclude: [0] }, undefined],
      [undefined, { include: [2], exclude: [] }],
    ]);
  });

  it('hands out catalogs that do not share state: changing one changes no later one', () => {
    const messages = [message('a', { pages: { include: ['/shared/**'] } })];
    const first = compileCatalog(messages);
    first.patterns[0]!.automaton = [[-2]];
    expect(compileCatalog(messages).patterns[0]!.automaton).not.toEqual([[-2]]);
  });

  it('leaves rules that allow every page out', () => {
    expect(compileCatalog([message('a', { pages: { include: [], caseSensitive: true } })]).messages[0]!.pages).toBeUndefined();
  });

  it('orders messages best first: higher priority, then id', () => {
    const catalog = compileCatalog([message('b'), message('c', { priority: 5 }), message('a'), message('d', { priority: -1 })]);
    expect(catalog.messages.map((m) => m.id)).toEqual(['c', 'a', 'b', 'd']);
  });

  it('keeps case-sensitivity per rules object', () => {
    const [insensitive, sensitive] = compileCatalog([message('a', { pages: { include: ['/A'] } }), message('b', { pages: { include: ['/A'], caseSensitive: true } })]).patterns;
    expect([insensitive!.flags, sensitive!.flags]).toEqual(['i', '']);
  });

  it('validates messages that did not come from parseCatalog, and lists every problem', () => {
    const bad = [message('a', { pages: { include: ['/pri[cing'] } }), message('a'), { ...message('b'), holdout: 2 }];
    expect(() => compileCatalog(bad)).toThrow(TypeError);
    expect(() => compileCatalog(bad)).toThrow(
      [
        'compileCatalog: fix these first:',
        'messages[0].pages.include[0]: "/pri[cing" is not a valid pattern (unclosed "["; close it, or write "\\[" for a literal one)',
        'messages[2].holdout: 2 is out of range; use a share below 1, e.g. 0.1 for 10%',
      ].join('\n'),
    );
  });

  it('compiles what parseCatalog accepted to the same result as the raw messages', () => {
    const raw = [message('a', { pages: { include: ['/x/**'] }, frequency: { maxShows: 2 } }), message('b', { trigger: { delay: 250 } })];
    const parsed = parseCatalog(raw).messages;
    expect(compileCatalog(parsed)).toEqual(compileCatalog(raw));
  });

  it('does not validate again what parseCatalog accepted (seen through a change made after parsing)', () => {
    const parsed = parseCatalog([message('a')]).messages;
    (parsed[0] as { holdout?: number }).holdout = 2;
    expect(compileCatalog(parsed).messages[0]!.holdout).toBe(2);
    // The same message, not from parseCatalog, is checked.
    expect(() => compileCatalog([{ ...parsed[0]! }])).toThrow('messages[0].holdout');
  });
});

describe('isCompiledCatalog', () => {
  it('tells a compiled catalog from anything else', () => {
    expect(isCompiledCatalog(compileCatalog([]))).toBe(true);
    expect(isCompiledCatalog({ messages: [] })).toBe(false);
    expect(isCompiledCatalog({ v: 2, patterns: [], messages: [] })).toBe(false);
    expect(isCompiledCatalog(null)).toBe(false);
    expect(isCompiledCatalog([])).toBe(false);
  });
});
