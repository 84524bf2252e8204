// Page views without the host's help, and what a single-page-app navigation does to messages.
import { expect } from '@open-wc/testing';
import { catalogOf, cleanup, elementOf, message, onScreen, settled, start, START_URL, storedLedger, until, watchDecisions } from '../test/kit.js';

const pageNames = (events: Array<{ type: string; context?: { page?: { path?: string } } }>) => events.filter((e) => e.type === 'page').map((e) => e.context!.page!.path);

describe('page tracking', () => {
  afterEach(cleanup);

  it('tracks the first view, then pushState, replaceState, popstate and hashchange, each change of URL once', async () => {
    const { beckon, events } = start({ catalog: catalogOf() });
    await beckon.ready;
    const first = new URL(START_URL).pathname;
    history.pushState(null, '', '/a');
    history.replaceState(null, '', '/b');
    history.replaceState({ state: 'only' }, '', '/b'); // same URL: not a page view
    location.hash = 'section';
    await until(() => pageNames(events).length === 4, 'the hashchange page view');
    history.back(); // popstate back to /b (and a hashchange)
    await until(() => pageNames(events).length === 5, 'the popstate page view');
    // A view after them all: a repeat of any of them would come before it.
    history.pushState(null, '', '/last');
    expect(pageNames(events)).to.deep.equal([first, '/a', '/b', '/b', '/b', '/last']);
    expect(events.filter((e) => e.type === 'page').map((e) => e.context!.page!.url!.split('#')[1])).to.deep.equal([undefined, undefined, undefined, 'section', undefined, undefined]);
  });

  it('puts the original history methods back on destroy', () => {
    const { pushState, replaceState } = history;
    const { beckon } = start({ catalog: catalogOf() });
    expect(history.pushState).not.to.equal(pushState);
    beckon.destroy();
    expect(history.pushState).to.equal(pushState);
    expect(history.replaceState).to.equal(replaceState);
  });

  it('leaves a wrapper added after its own in place on destroy, and stops reporting through it', async () => {
    const { beckon, events } = start({ catalog: catalogOf() });
    await beckon.ready;
    const ours = history.pushState;
    const theirs = function (this: History, ...args: Parameters<History['pushState']>) {
      ours.apply(this, args);
    };
    history.pushState = theirs;
    beckon.destroy();
    expect(history.pushState).to.equal(theirs);
    history.pushState(null, '', '/after-destroy');
    expect(pageNames(events)).to.have.length(1);
    history.pushState = ours;
  });

  it('tracks nothing by itself with trackPages: false; page() and screen() say it', async () => {
    const catalog = catalogOf(message('checkout', { screens: { include: ['Checkout*'] } }), message('everywhere', { layout: { type: 'banner' }, trigger: { event: 'opened' } }));
    const decisions = watchDecisions();
    const { beckon, events } = start({ catalog, trackPages: false, debug: true });
    await beckon.ready;
    history.pushState(null, '', '/quiet');
    expect(events).to.have.length(0);
    // Before the first page view nothing is decided, whatever else is called.
    beckon.identify('user-1');
    beckon.reset();
    beckon.track('opened');
    expect(decisions).to.deep.equal([]);
    expect(onScreen()).to.deep.equal([]);
    events.length = 0;
    beckon.page();
    beckon.screen('CheckoutStep1');
    expect(events.map((e) => e.type)).to.deep.equal(['page', 'screen']);
    await until(() => onScreen().includes('checkout'), 'the screen message');
  });
});

describe('single-page-app navigation', () => {
  afterEach(cleanup);

  const pricingModal = message('pricing', { pages: { include: ['/pricing'] } });

  it('shows a message when the app navigates to its page and closes it quietly when the app leaves', async () => {
    const { beckon, tracked } = start({ catalog: catalogOf(pricingModal) });
    await beckon.ready;
    expect(onScreen()).to.deep.equal([]);
    history.pushState(null, '', '/pricing');
    await until(() => tracked().includes('Message Shown'), 'Message Shown');
    expect(onScreen()).to.deep.equal(['pricing']);
    history.pushState(null, '', '/about');
    expect(onScreen()).to.deep.equal([]);
    expect(document.querySelector('beckon-message')).to.equal(null);
    // Closed by the navigation: not a dismissal, in the events or in the ledger (once every write asked for is made).
    await settled();
    expect(tracked()).to.deep.equal(['Message Shown']);
    const { pricing } = storedLedger().ledger.messages;
    expect(Object.keys(pricing!)).to.deep.equal(['s']);
    expect(pricing!.s).to.have.length(1);
  });

  it('keeps a message open across a navigation to another page it is for', async () => {
    const { beckon } = start({ catalog: catalogOf(message('products', { pages: { include: ['/products/**'] } })) });
    await beckon.ready;
    history.pushState(null, '', '/products/1');
    await until(() => onScreen().length === 1, 'the message');
    const el = elementOf('products');
    history.pushState(null, '', '/products/2');
    expect(elementOf('products')).to.equal(el);
  });

  it('cancels a delayed message when the visitor navigates away before it fires, and arms it again on its page', async () => {
    const delayed = message('later', { pages: { include: ['/wait'] }, trigger: { delay: '150ms' } });
    const { beckon, tracked } = start({ catalog: catalogOf(delayed) });
    await beckon.ready;
    // The timers Beckon starts for the delay, and those it clears.
    const started = new Map<number, number>();
    const cleared: number[] = [];
    const { setTimeout: set, clearTimeout: clear } = window;
    window.setTimeout = ((handler: TimerHandler, ms?: number, ...rest: unknown[]) => {
      const id = set(handler, ms, ...rest);
      started.set(id, ms ?? 0);
      return id;
    }) as typeof window.setTimeout;
    window.clearTimeout = ((id?: number) => (id !== undefined && cleared.push(id), clear(id))) as typeof window.clearTimeout;
    try {
      history.pushState(null, '', '/wait');
      const delays = [...started].filter(([, ms]) => ms === 150).map(([id]) => id);
      expect(delays).to.have.length(1);
      history.pushState(null, '', '/elsewhere');
      // The navigation cleared the delay's timer itself: nothing is left to fire.
      expect(cleared).to.include(delays[0]);
    } finally {
      window.setTimeout = set;
      window.clearTimeout = clear;
    }
    // Back on its page, the delay starts over and the message shows.
    const back = performance.now();
    history.pushState(null, '', '/wait');
    await until(() => onScreen().includes('later'), 'the message after its delay');
    expect(performance.now() - back).to.be.at.least(150);
    // Open is not yet shown: the show is recorded once the message is painted, a frame or more later.
    await until(() => tracked().length > 0, 'the show to be recorded');
    expect(tracked()).to.deep.equal(['Message Shown']);
  });

  it('counts page views in the session for minPageViews', async () => {
    const third = message('third', { trigger: { minPageViews: 3 } });
    const { beckon } = start({ catalog: catalogOf(third) });
    await beckon.ready;
    history.pushState(null, '', '/two');
    // Each view counted once: the second is the second.
    expect(beckon.explain().find((row) => row.id === 'third')).to.include({ reason: 'trigger', detail: 'waits for page view 3; this is 2' });
    await settled();
    expect(onScreen()).to.deep.equal([]);
    history.pushState(null, '', '/three');
    await until(() => onScreen().includes('third'), 'the message on the third view');
  });
});
