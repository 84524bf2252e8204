// Headless mode: the host draws; its controls record exactly what <beckon-message> would.
import type { CompiledMessage } from '@beckon/rules';
import { expect } from '@open-wc/testing';
import { captureWarnings, catalogOf, cleanup, message, onScreen, settled, sleep, start, storedLedger, until, watchDecisions } from '../test/kit.js';
import type { MessageControls } from './types.js';

/** A headless host that keeps what it was handed and counts how often Beckon took each message away. */
function host() {
  const drawn: Array<{ message: CompiledMessage; controls: MessageControls }> = [];
  const closed: string[] = [];
  return {
    drawn,
    closed,
    onMessage(message: CompiledMessage, controls: MessageControls) {
      drawn.push({ message, controls });
      return () => void closed.push(message.id);
    },
  };
}

describe('headless mode', () => {
  afterEach(cleanup);

  it('hands each message to onMessage and renders nothing itself', async () => {
    const ui = host();
    const { beckon, tracked } = start({ catalog: catalogOf(message('coupon', { layout: { type: 'modal' } }), message('box', { layout: { type: 'inline', slot: 'absent' } })), render: false, onMessage: ui.onMessage });
    await beckon.ready;
    await until(() => ui.drawn.length === 2, 'both messages handed over (an inline one needs no slot)');
    expect(ui.drawn.map((d) => d.message.id).sort()).to.deep.equal(['box', 'coupon']);
    expect(ui.drawn.find((d) => d.message.id === 'coupon')!.message.content.title).to.equal('Title of coupon');
    expect(document.querySelector('beckon-message')).to.equal(null);
    // Nothing is counted until the host says the message is on screen.
    expect(tracked()).to.deep.equal([]);
    await settled();
    expect(storedLedger().ledger.messages).to.deep.equal({});
  });

  it('records shown once, clicked and dismissed in the ledger and as events', async () => {
    const ui = host();
    const decisions = watchDecisions();
    const { beckon, events, tracked } = start({ catalog: catalogOf(message('coupon')), render: false, onMessage: ui.onMessage, debug: true });
    await beckon.ready;
    await until(() => ui.drawn.length === 1, 'the message');
    const { controls } = ui.drawn[0]!;
    controls.shown();
    controls.shown();
    await until(() => tracked().length === 1, 'Message Shown');
    controls.clicked('signup', '/signup');
    controls.dismissed('close-button');
    expect(tracked()).to.deep.equal(['Message Shown', 'Message Clicked', 'Message Dismissed']);
    expect(events.filter((e) => e.type === 'track').map((e) => e.properties)).to.deep.equal([
      { message_id: 'coupon', layout: 'modal' },
      { message_id: 'coupon', action_id: 'signup', url: '/signup' },
      { message_id: 'coupon', via: 'close-button' },
    ]);
    await settled();
    const history = storedLedger().ledger.messages.coupon!;
    expect([history.s?.length, history.a?.length, history.d?.length]).to.deep.equal([1, 1, 1]);
    // The host closed it itself: Beckon does not call its close function; dismissed, it is not offered again.
    expect(ui.closed).to.deep.equal([]);
    beckon.page();
    expect(decisions.at(-1)!.show).to.deep.equal([]);
    expect(ui.drawn).to.have.length(1);
  });

  it('calls the returned function when the message is withdrawn: navigation, identify, destroy', async () => {
    const ui = host();
    const catalog = catalogOf(message('pricing', { pages: { include: ['/pricing'] } }), message('anon', { layout: { type: 'banner' } }), message('all', { audience: 'everyone', layout: { type: 'popup' } }));
    const { beckon } = start({ catalog, render: false, onMessage: ui.onMessage });
    await beckon.ready;
    history.pushState(null, '', '/pricing');
    await until(() => ui.drawn.length === 3, 'three messages');
    for (const { controls } of ui.drawn) controls.shown();
    history.pushState(null, '', '/about');
    expect(ui.closed).to.deep.equal(['pricing']);
    beckon.identify('user-1');
    expect(ui.closed).to.deep.equal(['pricing', 'anon']);
    beckon.destroy();
    expect(ui.closed).to.deep.equal(['pricing', 'anon', 'all']);
  });

  it('lets the second of two instances lose the last allowed show: its message is taken back, not counted', async () => {
    const [first, second] = [host(), host()];
    const catalog = catalogOf(message('once', { frequency: { maxShows: 1 } }));
    const a = start({ catalog, render: false, onMessage: first.onMessage });
    const b = start({ catalog, render: false, onMessage: second.onMessage });
    await Promise.all([a.beckon.ready, b.beckon.ready]);
    await until(() => first.drawn.length === 1 && second.drawn.length === 1, 'both hosts handed the message');
    first.drawn[0]!.controls.shown();
    await until(() => a.tracked().length === 1, 'the first show');
    second.drawn[0]!.controls.shown();
    await until(() => second.closed.length === 1, 'the second host told to close it');
    expect(b.tracked()).to.deep.equal([]);
    expect(storedLedger().ledger.messages.once!.s).to.have.length(1);
  });

  it('survives an onMessage that throws, warning once', async () => {
    let calls = 0;
    const warnings = await captureWarnings(async () => {
      const { beckon } = start({
        catalog: catalogOf(message('a', { layout: { type: 'banner' } }), message('b', { layout: { type: 'popup' } })),
        render: false,
        onMessage: () => {
          calls++;
          throw new Error('host bug');
        },
      });
      await beckon.ready;
      await until(() => calls === 2, 'both messages offered');
      beckon.page();
      await until(() => calls === 4, 'offered again on the next view (never shown, so still eligible)');
    });
    expect(warnings.filter((w) => w.includes('host bug'))).to.have.length(1);
  });

  it('warns when render is false without onMessage, and shows nothing', async () => {
    const warnings = await captureWarnings(async () => {
      const { beckon } = start({ catalog: catalogOf(message('a')), render: false });
      await beckon.ready;
      await sleep(30);
    });
    expect(warnings.some((w) => w.includes('onMessage'))).to.equal(true);
    expect(document.querySelector('beckon-message')).to.equal(null);
  });

  it('with a list of layouts, draws those with <beckon-message> and hands the others to onMessage', async () => {
    const slot = Object.assign(document.createElement('beckon-slot'), { className: 'fixture' });
    slot.setAttribute('name', 'footer');
    document.body.append(slot);
    const ui = host();
    const catalog = catalogOf(message('coupon', { layout: { type: 'modal' } }), message('card', { layout: { type: 'inline', slot: 'footer' } }));
    const { beckon, tracked } = start({ catalog, render: ['inline'], onMessage: ui.onMessage });
    await beckon.ready;
    await until(() => ui.drawn.length === 1 && onScreen().length === 1, 'the modal handed over and the card drawn');
    expect(ui.drawn.map((d) => d.message.id)).to.deep.equal(['coupon']);
    expect(onScreen()).to.deep.equal(['card']);
    expect(slot.querySelector('beckon-message')).to.not.equal(null);
    // The card counts once <beckon-message> reports it on screen; the modal once the host says so.
    await until(() => tracked().length === 1, 'the card shown');
    ui.drawn[0]!.controls.shown();
    await until(() => tracked().length === 2, 'the modal shown');
    expect(tracked()).to.deep.equal(['Message Shown', 'Message Shown']);
  });
});
