// Delay, scroll depth, exit intent and tracked events, as armed by Beckon.
import { expect } from '@open-wc/testing';
import { catalogOf, cleanup, message, onScreen, sleep, start, until, watchDecisions } from '../test/kit.js';

/** Makes the page tall enough to scroll; removed by cleanup. */
function tallPage(): void {
  const filler = document.createElement('div');
  filler.className = 'fixture';
  filler.style.height = '5000px';
  document.body.append(filler);
}

/** The pointer leaving the window through its top edge (or staying inside, at `clientY`). */
function pointerOut(clientY = -1): void {
  document.documentElement.dispatchEvent(new MouseEvent('mouseout', { bubbles: true, clientX: 200, clientY, relatedTarget: null }));
}

describe('triggers', () => {
  afterEach(() => {
    cleanup();
    scrollTo(0, 0);
  });

  it('waits for the delay, measured from when it was armed to when the message shows', async () => {
    const { beckon } = start({ catalog: catalogOf(message('delayed', { trigger: { delay: '200ms' } })) });
    await beckon.ready;
    // Armed as the catalog loaded, a moment before this line runs.
    const armed = performance.now();
    await until(() => onScreen().includes('delayed'), 'the delayed message');
    expect(performance.now() - armed).to.be.at.least(195);
  });

  it('waits until the visitor scrolled far enough down', async () => {
    tallPage();
    const { beckon } = start({ catalog: catalogOf(message('half', { trigger: { scrollPercent: 50 } })) });
    await beckon.ready;
    scrollTo(0, 1000);
    await sleep(100);
    expect(onScreen()).to.deep.equal([]);
    scrollTo(0, 3000);
    await until(() => onScreen().includes('half'), 'the message after scrolling half-way');
  });

  it('shows at once on a page too short to scroll', async () => {
    const { beckon } = start({ catalog: catalogOf(message('short', { trigger: { scrollPercent: 90 } })) });
    await beckon.ready;
    await until(() => onScreen().includes('short'), 'the message');
  });

  it('shows on exit intent: the pointer leaving through the top, not elsewhere', async () => {
    const { beckon } = start({ catalog: catalogOf(message('exit', { layout: { type: 'popup' }, trigger: { exitIntent: true } })) });
    await beckon.ready;
    pointerOut(300);
    await sleep(50);
    expect(onScreen()).to.deep.equal([]);
    pointerOut();
    await until(() => onScreen().includes('exit'), 'the exit-intent message');
  });

  it('waits for the delay before listening for exit intent', async () => {
    const { beckon } = start({ catalog: catalogOf(message('both', { layout: { type: 'popup' }, trigger: { delay: '150ms', exitIntent: true } })) });
    await beckon.ready;
    // Armed by now; a timer of the same length started after Beckon's fires after it: then the delay has passed.
    const delayPassed = sleep(150);
    pointerOut();
    await delayPassed;
    expect(onScreen()).to.deep.equal([]);
    pointerOut();
    await until(() => onScreen().includes('both'), 'the message');
  });

  it('cancels scroll and exit-intent waits on navigation: their listeners go; back on the page they work again', async () => {
    tallPage();
    const catalog = catalogOf(
      message('scroll', { pages: { include: ['/here'] }, layout: { type: 'banner' }, trigger: { scrollPercent: 50 } }),
      message('exit', { pages: { include: ['/here'] }, layout: { type: 'popup' }, trigger: { exitIntent: true } }),
    );
    const { beckon } = start({ catalog });
    await beckon.ready;
    // The scroll and mouseout listeners Beckon adds, with the signal that removes each.
    const listening: Array<{ type: string; signal?: AbortSignal }> = [];
    const add = EventTarget.prototype.addEventListener;
    EventTarget.prototype.addEventListener = function (type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions) {
      if (type === 'scroll' || type === 'mouseout') listening.push({ type, signal: typeof options === 'object' ? options.signal : undefined });
      return add.call(this, type, listener, options);
    };
    try {
      history.pushState(null, '', '/here');
    } finally {
      EventTarget.prototype.addEventListener = add;
    }
    expect(listening.map((l) => l.type).sort()).to.deep.equal(['mouseout', 'scroll']);
    history.pushState(null, '', '/there');
    expect(listening.map((l) => l.signal?.aborted)).to.deep.equal([true, true]);
    scrollTo(0, 4000);
    pointerOut();
    scrollTo(0, 0);
    history.pushState(null, '', '/here');
    expect(onScreen()).to.deep.equal([]);
    scrollTo(0, 4000);
    await until(() => onScreen().includes('scroll'), 'the scroll banner on the page again');
    pointerOut();
    await until(() => onScreen().includes('exit'), 'the exit popup on the page again');
  });

  it('shows a message on its tracked event, and not on others or on page views', async () => {
    const decisions = watchDecisions();
    const { beckon } = start({ catalog: catalogOf(message('cart', { layout: { type: 'popup' }, trigger: { event: 'added_to_cart' } })), debug: true });
    await beckon.ready;
    beckon.track('viewed_product');
    beckon.page();
    expect(decisions.slice(1).map((d) => d.show)).to.deep.equal([[], []]);
    expect(onScreen()).to.deep.equal([]);
    beckon.track('added_to_cart', { sku: 'tee' });
    await until(() => onScreen().includes('cart'), 'the event message');
  });

  it('waits for the delay after the event', async () => {
    const { beckon } = start({ catalog: catalogOf(message('cart', { layout: { type: 'popup' }, trigger: { event: 'added_to_cart', delay: '150ms' } })) });
    await beckon.ready;
    const armed = performance.now();
    beckon.track('added_to_cart');
    await until(() => onScreen().includes('cart'), 'the delayed event message');
    expect(performance.now() - armed).to.be.at.least(150);
  });

  it('sends events tracked before the catalog has loaded, but shows no trigger.event message for them', async () => {
    const catalog = catalogOf(
      message('on-add', { layout: { type: 'banner' }, trigger: { event: 'added_to_cart' } }),
      message('on-probe', { layout: { type: 'popup' }, trigger: { event: 'probe' } }),
    );
    // The catalog's answer waits until the test lets it through.
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const realFetch = window.fetch;
    window.fetch = async (input, init) => (String(input).includes('/late-catalog.json') ? (await answered, new Response(JSON.stringify(catalog))) : realFetch(input, init));
    try {
      const { beckon, tracked } = start({ catalogUrl: '/late-catalog.json' });
      beckon.track('added_to_cart');
      expect(tracked()).to.deep.equal(['added_to_cart']);
      answer();
      await beckon.ready;
      // A later event's message shows once what came before it has been decided and drawn: the early event drew nothing.
      beckon.track('probe');
      await until(() => onScreen().includes('on-probe'), 'the message for a later event');
      expect(onScreen()).to.deep.equal(['on-probe']);
      beckon.track('added_to_cart');
      await until(() => onScreen().includes('on-add'), 'the message for an event after the catalog');
    } finally {
      window.fetch = realFetch;
    }
  });
});
