import { compileCatalog, emptyLedger, parseCatalog, type CompiledCatalog } from '@beckon/rules';
import { afterEach, describe, expect, it } from 'vitest';
import { startEvaluator, type Evaluator } from './evaluator.js';

const catalogOf = (messages: unknown[]): CompiledCatalog => compileCatalog(parseCatalog({ messages }).messages);
const served = (compiled: CompiledCatalog, etag: string) => () => ({ json: JSON.stringify(compiled), etag });
const visit = { identified: false, ledger: emptyLedger() };
const content = { title: 'Hi' };

let evaluator: Evaluator | undefined;
afterEach(() => evaluator?.close());

describe('the decide thread', () => {
  it('decides with the catalog of the moment: a new one (new ETag) reaches the thread before the next request', async () => {
    let current = served(catalogOf([{ id: 'hello', pages: { include: ['/'] }, layout: { type: 'modal' }, content }]), '"1"');
    evaluator = startEvaluator(() => current());
    expect((await evaluator.evaluate({ anonymousId: 'a', url: '/' }, visit, 0)).show.map((m) => m.id)).toEqual(['hello']);
    current = served(catalogOf([]), '"2"');
    expect((await evaluator.evaluate({ anonymousId: 'a', url: '/' }, visit, 0)).show).toEqual([]);
  });

  it('gives up a decision that takes too long with 503, and decides again on a fresh thread', async () => {
    // A compiled catalog as no compiler would make: beside the pattern's own automaton, 100,000 states that each
    // read any character and go back to where they all start, so every position of a long URL costs 200,000 steps.
    const slow = catalogOf([{ id: 'slow', pages: { include: [{ regex: '^/a+b$' }] }, layout: { type: 'modal' }, content }]);
    const own = slow.patterns[0]!.automaton!;
    const hub = own.length + 1;
    const shifted = own.map(([op, ...rest]) => (op! >= 0 ? [op! + 1, ...rest] : op === -2 ? [op] : [op!, ...rest.map((to) => to + 1)]));
    const junk = Array.from({ length: 100_000 }, () => [hub, 0, 0xffff]);
    const automaton = [[-1, 1, hub], ...shifted, [-1, ...junk.map((_, i) => hub + 1 + i)], ...junk];
    slow.patterns[0] = { ...slow.patterns[0]!, automaton };
    evaluator = startEvaluator(served(slow, '"slow"'), 1_500);
    const started = Date.now();
    const hostile = evaluator.evaluate({ anonymousId: 'a', url: `/${'a'.repeat(4000)}` }, visit, 0);
    await expect(hostile).rejects.toMatchObject({ status: 503, message: expect.stringContaining('longer than 1500 ms') });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await evaluator.evaluate({ anonymousId: 'a', url: '/aab' }, visit, 0)).show.map((m) => m.id)).toEqual(['slow']);
  });
});
