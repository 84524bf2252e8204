// explain(): every message with whether it would show, and why not.
import { expect } from '@open-wc/testing';
import { catalogOf, cleanup, elementOf, message, onScreen, start, until, watchDecisions } from '../test/kit.js';
import { createBeckon } from './index.js';

const catalog = catalogOf(
  message('pricing', { pages: { include: ['/pricing'] }, layout: { type: 'popup' }, trigger: { delay: '5s', exitIntent: true } }),
  message('members', { audience: 'identified', layout: { type: 'banner' } }),
  message('cart', { trigger: { event: 'added_to_cart' }, layout: { type: 'popup' } }),
  message('welcome', { layout: { type: 'banner' }, frequency: { maxShows: 1 } }),
);

describe('explain', () => {
  afterEach(cleanup);

  it('gives every message with whether it would show here and why not', async () => {
    const { beckon } = start({ catalog });
    await beckon.ready;
    await until(() => onScreen().includes('welcome'), 'the welcome banner');
    expect(beckon.explain('/pricing')).to.deep.equal([
      { id: 'pricing', show: true, detail: 'shows after 5000ms, then on exit intent', trigger: { delay: 5000, scrollPercent: undefined, exitIntent: true }, layout: 'popup' },
      { id: 'cart', show: false, reason: 'trigger', detail: 'waits for the event "added_to_cart"', layout: 'popup' },
      { id: 'members', show: false, reason: 'audience', detail: 'for identified visitors only', layout: 'banner' },
      { id: 'welcome', show: false, reason: 'frequency:maxShows', detail: 'shown 1 of 1 times (maxShows)', layout: 'banner' },
    ]);
  });

  it('explains this page by default, and what would change when identified or on an event', async () => {
    const decisions = watchDecisions();
    const { beckon } = start({ catalog, debug: true });
    await beckon.ready;
    const here = beckon.explain();
    expect(here.find((row) => row.id === 'pricing')).to.include({ show: false, reason: 'page' });
    expect(here.find((row) => row.id === 'pricing')!.detail).to.contain('/pricing');
    expect(beckon.explain(undefined, { identified: true }).find((row) => row.id === 'members')).to.include({ show: true, detail: 'shows now' });
    expect(beckon.explain(undefined, { event: 'added_to_cart' }).find((row) => row.id === 'cart')).to.include({ show: true });
    // Explaining changes nothing: no decision was made for it, and what is on screen stays.
    expect(decisions).to.have.length(1);
    await until(() => onScreen().includes('welcome'), 'the welcome banner');
    expect(onScreen()).to.deep.equal(['welcome']);
  });

  it('returns [] before the catalog is loaded', () => {
    const { beckon } = start({ catalogUrl: '/never-loaded.json' });
    expect(beckon.explain()).to.deep.equal([]);
  });

  it('prints a console table when debug is on', async () => {
    const { beckon } = start({ catalog, debug: true });
    await beckon.ready;
    const tables: unknown[][] = [];
    const table = console.table;
    console.table = (...args: unknown[]) => void tables.push(args);
    try {
      beckon.explain('/pricing');
    } finally {
      console.table = table;
    }
    expect(tables).to.have.length(1);
    expect((tables[0]![0] as Array<{ id: string }>).map((row) => row.id).sort()).to.deep.equal(['cart', 'members', 'pricing', 'welcome']);
    expect(tables[0]![1]).to.deep.equal(['id', 'show', 'reason', 'detail']);
  });

  it('lists authored messages the compiler refused as invalid, with the problem, and shows the valid ones', async () => {
    const beckon = createBeckon({
      storage: 'memory',
      catalog: {
        messages: [
          { id: 'good', layout: { type: 'banner' }, content: { title: 'Hello' } },
          { id: 'bad', pages: { include: ['/pri[cing'] }, layout: { type: 'sideways' }, content: {} },
        ],
      } as never,
    });
    try {
      await beckon.ready;
      await until(() => onScreen().includes('good'), 'the valid message');
      const bad = beckon.explain().find((row) => row.id === 'bad')!;
      expect(bad).to.include({ show: false, reason: 'invalid' });
      expect(bad.detail).to.contain('messages[1].');
      expect(elementOf('good').message!.content.title).to.equal('Hello');
    } finally {
      beckon.destroy();
    }
  });
});
