// evaluate keeps a verdict per message and kind of context (see `prepare` in evaluate.ts) and hands out shared,
// frozen skips. These tests hold it to what a catalog evaluated for the first time says, whatever came before.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCatalog, emptyLedger, recordPageView, type CompiledCatalog, type EvaluateContext, type Evaluation, type Message, type PagePattern } from './index.js';
import { evaluate } from './runtime.js';

const now = Date.parse('2026-06-01T12:00:00Z');
const day = 86_400_000;
const message = (id: string, extra: Partial<Message> = {}): Message => ({ id, layout: { type: 'banner' }, content: { title: id }, ...extra });
const visitor: EvaluateContext = { url: 'https://shop.example.com/pricing', identified: false, visitorId: 'visitor-1' };
const ledger = recordPageView(emptyLedger(), now);

/** The evaluation as plain data: ids, reasons, sentences and triggers, in order. */
const plain = ({ show, skipped }: Evaluation) => ({
  show: show.map(({ message, trigger }) => ({ id: message.id, trigger })),
  skipped: skipped.map(({ message, reason, detail, trigger }) => ({ id: message.id, reason, detail, trigger })),
});

describe('evaluate: shared verdicts', () => {
  it('gives the same frozen skip to every evaluation that misses a message on audience or page', () => {
    const catalog = compileCatalog([message('page', { pages: { include: ['/cart'] } }), message('audience', { audience: 'identified' })]);
    const first = evaluate(catalog, visitor, ledger, now).skipped;
    const second = evaluate(catalog, { ...visitor, url: '/checkout' }, ledger, now + day).skipped;
    expect(first.map((skip) => skip.reason)).toEqual(['audience', 'page']);
    expect(second[0]).toBe(first[0]);
    expect(second[1]).toBe(first[1]);
    expect(Object.isFrozen(first[0])).toBe(true);
    expect(() => {
      (first[1] as { detail: string }).detail = 'changed';
    }).toThrow(TypeError);
    expect(evaluate(catalog, visitor, ledger, now).skipped[1]!.detail).toBe('"/cart" does not match');
  });

  it('tells kinds of context apart: identified or not, with or without a url or a screen', () => {
    const catalog = compileCatalog([message('anonymous', { pages: { include: ['/pricing'] } }), message('app', { screens: { include: ['Home'] } })]);
    const decide = (context: Partial<EvaluateContext>) => plain(evaluate(catalog, { ...visitor, ...context }, ledger, now));
    for (let round = 0; round < 2; round++) {
      expect(decide({})).toEqual({ show: [{ id: 'anonymous', trigger: undefined }], skipped: [{ id: 'app', reason: 'screen', detail: 'the context has no screen', trigger: undefined }] });
      expect(decide({ identified: true }).skipped.map(({ id, reason }) => `${id}:${reason}`)).toEqual(['anonymous:audience', 'app:audience']);
      expect(decide({ url: undefined, screen: 'Home' }).skipped).toEqual([{ id: 'anonymous', reason: 'page', detail: 'the context has no url', trigger: undefined }]);
      expect(decide({ screen: 'Cart' }).skipped.map(({ id, detail }) => `${id}:${detail}`)).toEqual(['app:"Home" does not match']);
    }
  });

  it('checks a schedule again on every evaluation: a verdict made while live does not outlive it', () => {
    const start = now - day;
    const end = now + day;
    const catalog = compileCatalog([
      message('shows', { schedule: { start: new Date(start).toISOString(), end: new Date(end).toISOString() } }),
      message('misses', { pages: { include: ['/cart'] }, schedule: { start: new Date(start).toISOString(), end: new Date(end).toISOString() } }),
    ]);
    const at = (time: number) => plain(evaluate(catalog, visitor, ledger, time)).skipped.map(({ id, reason }) => `${id}:${reason}`);
    expect(at(now)).toEqual(['misses:page']);
    expect(at(end)).toEqual(['misses:schedule', 'shows:schedule']);
    expect(at(start - 1)).toEqual(['misses:schedule', 'shows:schedule']);
    expect(at(end - 1)).toEqual(['misses:page']);
  });
});

// A small world of patterns, pages and screens, so that random catalogs often match, miss, exclude and overlap.
const pagePatterns: PagePattern[] = ['/a', '/a/*', '/a/**', '/b', '/*/x', '**', 'shop.example.com/a', '/a?k=v', '/a#top', { contains: 'x' }, { regex: '^/a/\\d+$' }, { equals: '/b' }];
const screenPatterns = ['Home', 'Cart*', '*'];
const messageArb = (id: string): fc.Arbitrary<Message> =>
  fc
    .record(
      {
        audience: fc.constantFrom('anonymous' as const, 'identified' as const, 'everyone' as const),
        pages: fc.record({ include: fc.subarray(pagePatterns, { maxLength: 3 }), exclude: fc.subarray(pagePatterns, { maxLength: 2 }) }, { requiredKeys: [] }),
        screens: fc.record({ include: fc.subarray(screenPatterns, { minLength: 1, maxLength: 2 }) }),
        schedule: fc.record({ start: fc.integer({ min: -2, max: 1 }), end: fc.integer({ min: 2, max: 4 }) }, { requiredKeys: [] }),
        trigger: fc.constantFrom({ event: 'buy' }, { delay: 10 }, { minPageViews: 2 }),
        priority: fc.integer({ min: 0, max: 2 }),
        modal: fc.boolean(),
      },
      { requiredKeys: ['audience', 'priority', 'modal'] },
    )
    .map(({ schedule, modal, ...rest }) =>
      message(id, {
        ...rest,
        ...(schedule && { schedule: Object.fromEntries(Object.entries(schedule).map(([edge, days]) => [edge, new Date(now + days * day).toISOString()])) }),
        layout: modal ? { type: 'modal' } : { type: 'banner' },
      }),
    );
const contextArb: fc.Arbitrary<[EvaluateContext, number]> = fc.tuple(
  fc.record(
    {
      url: fc.constantFrom('/a', '/a/1', '/a/x', '/a/b/c', '/b', 'https://shop.example.com/a?k=v#top', '/x', '/A/7'),
      screen: fc.constantFrom('Home', 'CartPage', 'Other'),
      identified: fc.boolean(),
      visitorId: fc.constantFrom('v1', 'v2'),
      event: fc.constant({ name: 'buy' }),
    },
    { requiredKeys: ['identified', 'visitorId'] },
  ),
  fc.integer({ min: -3, max: 5 }).map((days) => now + days * day),
);

describe('evaluate: shared verdicts (property)', () => {
  it('a catalog evaluated many times answers as a catalog evaluated for the first time', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }).chain((shape) => fc.tuple(fc.tuple(...shape.map((_, i) => messageArb(`m${i}`))), fc.array(contextArb, { minLength: 1, maxLength: 8 }))), ([messages, moments]) => {
        const catalog = compileCatalog(messages);
        for (const [context, time] of moments) {
          // A structured clone is a catalog no evaluation has seen.
          const firstTime: CompiledCatalog = structuredClone(catalog);
          expect(plain(evaluate(catalog, context, ledger, time))).toEqual(plain(evaluate(firstTime, context, ledger, time)));
        }
      }),
      { numRuns: 300 },
    );
  });
});
