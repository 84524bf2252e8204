// What goes on screen and what is recorded: one modal at a time, inline slots, shows, clicks, dismissals, holdout.
import { holdoutBucket } from '@beckon/rules';
import { expect } from '@open-wc/testing';
import { catalogOf, cleanup, domWatchers, elementOf, frames, message, onScreen, settled, start, storedLedger, until, watchDecisions } from '../test/kit.js';

describe('showing messages', () => {
  afterEach(cleanup);

  it('shows one modal at a time, the best first, with banners and popups beside it', async () => {
    const catalog = catalogOf(
      message('modal-low', { priority: 1 }),
      message('modal-high', { priority: 5 }),
      message('banner', { layout: { type: 'banner' } }),
      message('popup', { layout: { type: 'popup', position: 'bottom-left' } }),
    );
    const decisions = watchDecisions();
    const { beckon } = start({ catalog, debug: true });
    await beckon.ready;
    await until(() => onScreen().length === 3, 'three messages');
    expect(onScreen().sort()).to.deep.equal(['banner', 'modal-high', 'popup']);
    // The next page view still has its modal on screen: the other one waits.
    beckon.page();
    expect(decisions.at(-1)!.show).to.deep.equal([]);
    expect(onScreen().sort()).to.deep.equal(['banner', 'modal-high', 'popup']);
    elementOf('modal-high').close();
    beckon.page();
    await until(() => onScreen().includes('modal-low'), 'the second modal once the first is dismissed');
    expect(document.querySelectorAll('beckon-message')).to.have.length(3);
  });

  it('honours maxModals and minIntervalBetweenMessages from limits', async () => {
    const { beckon } = start({ catalog: catalogOf(message('a'), message('b')), limits: { maxModals: 2 } });
    await beckon.ready;
    await until(() => onScreen().length === 2, 'two modals');
    cleanup();
    const decisions = watchDecisions();
    const spaced = start({ catalog: catalogOf(message('a', { layout: { type: 'banner' } }), message('b', { layout: { type: 'popup' } })), limits: { minIntervalBetweenMessages: 60_000 }, debug: true });
    await spaced.beckon.ready;
    await until(() => onScreen().length === 1, 'one message');
    spaced.beckon.page();
    expect(decisions.at(-1)!.show).to.deep.equal([]);
    expect(onScreen()).to.have.length(1);
  });

  it('puts an inline message into its <beckon-slot>', async () => {
    const slot = document.createElement('beckon-slot');
    slot.setAttribute('name', 'pricing-footer');
    document.body.append(slot);
    const { beckon, tracked } = start({ catalog: catalogOf(message('inline', { layout: { type: 'inline', slot: 'pricing-footer' } })) });
    await beckon.ready;
    await until(() => tracked().includes('Message Shown'), 'Message Shown');
    expect(elementOf('inline').parentElement).to.equal(slot);
    expect(storedLedger().ledger.messages.inline!.s).to.have.length(1);
  });

  it('waits for a slot that appears later, and watches the DOM only while one waits', async () => {
    const watchers = domWatchers();
    const { beckon, tracked } = start({ catalog: catalogOf(message('late', { layout: { type: 'inline', slot: 'later' } })) });
    await beckon.ready;
    expect(onScreen()).to.deep.equal([]);
    expect(watchers()).to.equal(1);
    const wrapper = document.createElement('section');
    wrapper.className = 'fixture';
    wrapper.innerHTML = '<p>Rendered by the app</p><beckon-slot name="later"></beckon-slot>';
    document.body.append(wrapper);
    await until(() => tracked().includes('Message Shown'), 'the inline message in the late slot');
    expect(elementOf('late').parentElement).to.equal(wrapper.querySelector('beckon-slot'));
    expect(watchers()).to.equal(0);
  });

  it('stops waiting for a slot when the visitor navigates away', async () => {
    const watchers = domWatchers();
    const { beckon } = start({ catalog: catalogOf(message('late', { pages: { include: ['/with-slot'] }, layout: { type: 'inline', slot: 'later' } })) });
    await beckon.ready;
    history.pushState(null, '', '/with-slot');
    await until(() => watchers() === 1, 'the wait for the slot');
    history.pushState(null, '', '/without');
    // Nothing watches for the slot any more, so nothing can fill it when it comes.
    expect(watchers()).to.equal(0);
    const slot = document.createElement('beckon-slot');
    slot.setAttribute('name', 'later');
    slot.className = 'fixture';
    document.body.append(slot);
    expect(slot.children).to.have.length(0);
  });

  it('shows an inline message again on a later view when its slot went away with the page', async () => {
    const slot = document.createElement('beckon-slot');
    slot.setAttribute('name', 'box');
    document.body.append(slot);
    const { beckon } = start({ catalog: catalogOf(message('card', { layout: { type: 'inline', slot: 'box' }, frequency: { stopOnDismiss: true } })) });
    await beckon.ready;
    await until(() => onScreen().includes('card'), 'the card');
    slot.remove(); // the app re-rendered without it
    const again = document.createElement('beckon-slot');
    again.setAttribute('name', 'box');
    document.body.append(again);
    beckon.page();
    await until(() => again.querySelector('beckon-message') !== null, 'the card in the new slot');
  });

  it('records a show when the message is on screen, a click, and a dismissal, in the ledger and as events', async () => {
    const catalog = catalogOf(
      message('offer', {
        frequency: { stopOnAction: false },
        content: { title: 'Offer', actions: [{ id: 'stay', label: 'Stay' }, { id: 'no', label: 'No thanks', dismiss: true }] },
      }),
    );
    const decisions = watchDecisions();
    const { beckon, events, tracked } = start({ catalog, debug: true });
    await beckon.ready;
    await until(() => tracked().includes('Message Shown'), 'Message Shown');
    const el = elementOf('offer');
    const buttons = el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="action"]');
    buttons[0]!.click();
    buttons[1]!.click();
    await until(() => tracked().includes('Message Dismissed'), 'Message Dismissed');
    expect(tracked()).to.deep.equal(['Message Shown', 'Message Clicked', 'Message Clicked', 'Message Dismissed']);
    const props = events.filter((e) => e.type === 'track').map((e) => e.properties);
    expect(props).to.deep.equal([
      { message_id: 'offer', layout: 'modal' },
      { message_id: 'offer', action_id: 'stay', url: null },
      { message_id: 'offer', action_id: 'no', url: null },
      { message_id: 'offer', via: 'action' },
    ]);
    await settled();
    const history = storedLedger().ledger.messages.offer!;
    // The ledger keeps what frequency rules need: the show, and the latest action and dismissal.
    expect([history.s!.length, history.a!.length, history.d!.length]).to.deep.equal([1, 1, 1]);
    expect(document.querySelector('beckon-message')).to.equal(null);
    // Dismissed (stopOnDismiss by default): not shown again.
    beckon.page();
    expect(decisions.at(-1)!.show).to.deep.equal([]);
    expect(onScreen()).to.deep.equal([]);
  });

  it('sends the URL of a clicked link action', async () => {
    const catalog = catalogOf(message('go', { content: { title: 'Go', actions: [{ id: 'signup', label: 'Sign up', url: '#signup' }] } }));
    const { beckon, events, tracked } = start({ catalog });
    await beckon.ready;
    await until(() => tracked().includes('Message Shown'), 'Message Shown');
    elementOf('go').addEventListener('beckon-action', (e) => e.preventDefault(), { once: true });
    elementOf('go').shadowRoot!.querySelector<HTMLAnchorElement>('a[part~="action"]')!.click();
    expect(events.at(-1)!.properties).to.deep.equal({ message_id: 'go', action_id: 'signup', url: '#signup' });
  });

  it('does not send Message Shown before the message is on screen', async () => {
    const filler = document.createElement('div');
    filler.className = 'fixture';
    filler.style.height = '3000px';
    document.body.append(filler);
    const slot = document.createElement('beckon-slot');
    slot.setAttribute('name', 'bottom');
    document.body.append(slot);
    const { beckon, tracked } = start({ catalog: catalogOf(message('below', { layout: { type: 'inline', slot: 'bottom' } })) });
    await beckon.ready;
    await until(() => slot.querySelector('beckon-message') !== null, 'the card in its slot');
    await frames();
    expect(tracked()).to.deep.equal([]);
    expect(storedLedger()?.ledger.messages.below).to.equal(undefined);
    slot.scrollIntoView();
    await until(() => tracked().includes('Message Shown'), 'Message Shown once scrolled into view');
    scrollTo(0, 0);
  });

  it('keeps a held-out visitor in the control group: nothing shown, Message Held Out once per session', async () => {
    // An anonymous id whose bucket is in the control group of a 50% holdout.
    let id = 0;
    while (holdoutBucket(`visitor-${id}`, 'coupon') >= 0.5) id++;
    localStorage.setItem('beckon_anonymous_id', `visitor-${id}`);
    const decisions = watchDecisions();
    const { beckon, tracked } = start({ catalog: catalogOf(message('coupon', { holdout: 0.5 })), debug: true });
    await beckon.ready;
    expect(beckon.anonymousId).to.equal(`visitor-${id}`);
    beckon.page();
    beckon.page();
    expect(decisions.map((d) => d.show)).to.deep.equal([[], [], []]);
    expect(onScreen()).to.deep.equal([]);
    expect(tracked()).to.deep.equal(['Message Held Out']);
  });

  it('reports a held-out visitor only when the trigger would have shown the message', async () => {
    let id = 0;
    while (holdoutBucket(`visitor-${id}`, 'exit') >= 0.5) id++;
    localStorage.setItem('beckon_anonymous_id', `visitor-${id}`);
    const { beckon, tracked } = start({ catalog: catalogOf(message('exit', { holdout: 0.5, layout: { type: 'popup' }, trigger: { exitIntent: true } })) });
    await beckon.ready;
    // Held out is reported when the trigger fires, as a show would be: not before.
    expect(tracked()).to.deep.equal([]);
    document.documentElement.dispatchEvent(new MouseEvent('mouseout', { bubbles: true, clientY: -1 }));
    expect(tracked()).to.deep.equal(['Message Held Out']);
  });
});
