// The renderer (Lit and <beckon-message>) is loaded only when a page view has a message that will or may show:
// never on a page with none, before the trigger of one that waits, and never in headless mode.
import { expect } from '@open-wc/testing';
import { compileCatalog, type CompiledMessage, type Message } from '@beckon/rules';
import { cleanup, message, onScreen, until } from '../test/kit.js';
import { startBeckon } from './shell.js';
import type { Beckon, BeckonOptions } from './types.js';

const running: Beckon[] = [];

/** Starts Beckon with `messages`, counting how often it loads the renderer (`fail`: the load fails). */
function startCounting(messages: Message[], options: BeckonOptions = {}, fail = false) {
  const loads = { count: 0 };
  const beckon = startBeckon(
    { storage: 'memory', catalog: compileCatalog(messages), ...options },
    {
      loadCompiler: () => import('./compiler.js'),
      loadElements: () => {
        loads.count++;
        return fail ? Promise.reject(new Error('offline')) : import('./elements.js');
      },
    },
  );
  running.push(beckon);
  return { beckon, loads };
}

describe('the renderer, on demand', () => {
  afterEach(() => {
    for (const beckon of running.splice(0)) beckon.destroy();
    cleanup();
  });

  it('is never loaded on a page view with no eligible message', async () => {
    const { beckon, loads } = startCounting([message('elsewhere', { pages: { include: ['/pricing'] } })]);
    // `ready` resolves once the first page view was decided.
    await beckon.ready;
    expect(beckon.explain().map((e) => e.reason)).to.deep.equal(['page']);
    expect(loads.count).to.equal(0);
    expect(customElements.get('beckon-message')).to.equal(undefined);
  });

  // (Before any test loads the elements: once defined, they stay defined in this page.)
  it('that fails to load is logged once; nothing shows and Beckon carries on', async () => {
    const warnings: string[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
    try {
      const { beckon, loads } = startCounting([message('offer'), message('strip', { layout: { type: 'banner' } })], {}, true);
      await beckon.ready;
      // The warning is logged as the failed load is handled, before any message could have been drawn.
      await until(() => warnings.length, 'the failure logged');
      expect(warnings).to.deep.equal(['[beckon] the renderer could not be loaded, so no message shows: offline']);
      expect(loads.count).to.equal(1);
      expect(onScreen()).to.deep.equal([]);
      expect(beckon.explain().map((e) => e.show)).to.deep.equal([true, true]);
    } finally {
      console.warn = original;
    }
  });

  it('is loaded once, at the first decision, for a message waiting for its event, which then shows', async () => {
    const { beckon, loads } = startCounting([message('on-cart', { trigger: { event: 'added_to_cart' } })]);
    await beckon.ready;
    expect(loads.count).to.equal(1);
    await until(() => customElements.get('beckon-message'), 'the elements defined before any trigger fired');
    expect(onScreen()).to.deep.equal([]);
    beckon.track('added_to_cart');
    await until(() => onScreen().includes('on-cart'), 'the message on its event');
    expect(loads.count).to.equal(1);
  });

  it('is never loaded in headless mode', async () => {
    const drawn: CompiledMessage[] = [];
    const { beckon, loads } = startCounting([message('offer')], { render: false, onMessage: (m) => void drawn.push(m) });
    await beckon.ready;
    await until(() => drawn.length === 1, 'the message handed to onMessage');
    expect(loads.count).to.equal(0);
  });

});
