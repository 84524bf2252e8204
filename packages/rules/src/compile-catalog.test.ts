import { describe, expect, it } from 'vitest';
import { compileCatalog, isCompiledCatalog, parseCatalog, type Message } from './index.js';

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
    const catalog = compileCatalog([message('a', { pages: { include: ['/products/**', { regex: '^/p/\\d+$' }], exclude: [{ contains: 'x' }] } })]);
    expect(JSON.parse(JSON.stringify(catalog))).toEqual(catalog);
    expect(Object.values(catalog.messages[0]!).includes(undefined)).toBe(false);
    expect(isCompiledCatalog(JSON.parse(JSON.stringify(catalog)))).toBe(true);
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
    first.patterns[0]!.re = 'changed';
    expect(compileCatalog(messages).patterns[0]!.re).not.toBe('changed');
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

  it('compiles what parseCatalog accepted without validating it again, to the same result', () => {
    const raw = [message('a', { pages: { include: ['/x/**'] }, frequency: { maxShows: 2 } }), message('b', { trigger: { delay: 250 } })];
    const parsed = parseCatalog(raw).messages;
    expect(compileCatalog(parsed)).toEqual(compileCatalog(raw));
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
