// identify and reset: anonymous-only messages close at once, the ledger follows the person, events go out.
import { expect } from '@open-wc/testing';
import { catalogOf, cleanup, message, onScreen, settled, sleep, start, storedLedger, until, watchDecisions } from '../test/kit.js';

const catalog = catalogOf(
  message('anon-modal'),
  message('anon-exit', { layout: { type: 'popup' }, trigger: { exitIntent: true } }),
  message('members', { audience: 'identified', layout: { type: 'banner' } }),
  message('all', { audience: 'everyone', layout: { type: 'inline', slot: 'box' }, frequency: { maxShows: 1 } }),
);

function slot(): void {
  const el = document.createElement('beckon-slot');
  el.setAttribute('name', 'box');
  document.body.append(el);
}

describe('identify', () => {
  afterEach(cleanup);

  it('closes anonymous-only messages at once, cancels their triggers, shows identified ones and sends identify', async () => {
    slot();
    const decisions = watchDecisions();
    const { beckon, events, tracked } = start({ catalog, debug: true });
    await beckon.ready;
    await until(() => tracked().filter((e) => e === 'Message Shown').length === 2, 'two messages shown');
    expect(onScreen().sort()).to.deep.equal(['all', 'anon-modal']);
    const anonymousId = beckon.anonymousId;
    beckon.identify('user-1', { plan: 'pro' });
    expect(onScreen()).to.deep.equal(['all']);
    const identify = events.find((e) => e.type === 'identify')!;
    expect(identify).to.include({ anonymousId, userId: 'user-1' });
    expect(identify.type === 'identify' && identify.traits).to.deep.equal({ plan: 'pro' });
    await until(() => onScreen().includes('members'), 'the identified-only banner');
    document.documentElement.dispatchEvent(new MouseEvent('mouseout', { bubbles: true, clientY: -1 }));
    await sleep(50);
    expect(onScreen().sort()).to.deep.equal(['all', 'members']);
    // Closed by identify: not a dismissal; the anonymous show stays in the ledger, which carried over.
    expect(tracked()).not.to.include('Message Dismissed');
    expect(storedLedger().owner).to.equal('user-1');
    expect(storedLedger().ledger.messages['anon-modal']!.s).to.have.length(1);
    beckon.page();
    expect(decisions.at(-1)!.show).not.to.include('anon-modal');
    expect(onScreen()).not.to.include('anon-modal');
    expect(beckon.explain().find((row) => row.id === 'anon-modal')).to.include({ reason: 'audience' });
  });

  it('follows an identify made in another tab at once: anonymous-only messages close, identified ones show', async () => {
    const { beckon, tracked } = start({ catalog });
    await beckon.ready;
    await until(() => onScreen().includes('anon-modal'), 'the anonymous modal');
    // A same-origin frame stands in for the other tab: what its tracker writes when the visitor signs in there.
    const frame = document.createElement('iframe');
    frame.className = 'fixture';
    document.body.append(frame);
    const other = frame.contentWindow!;
    other.document.cookie = `beckon_user_id=user-7; Path=/`;
    other.localStorage.setItem('beckon_user_id', 'user-7');
    await until(() => !onScreen().includes('anon-modal'), 'the anonymous modal to close');
    expect(beckon.userId).to.equal('user-7');
    await until(() => onScreen().includes('members'), 'the identified-only banner');
    expect(tracked()).not.to.include('Message Dismissed');
    expect(storedLedger().owner).to.equal('user-7');
  });

  it('keeps the history of the same person: a message shown before signing in is not shown again after', async () => {
    slot();
    const decisions = watchDecisions();
    const { beckon, tracked } = start({ catalog: catalogOf(message('all', { audience: 'everyone', layout: { type: 'inline', slot: 'box' }, frequency: { maxShows: 1 } })), debug: true });
    await beckon.ready;
    await until(() => tracked().includes('Message Shown'), 'Message Shown');
    document.querySelector('beckon-message')!.remove();
    beckon.identify('user-1');
    beckon.page();
    expect(decisions.at(-1)!.show).to.deep.equal([]);
    expect(onScreen()).to.deep.equal([]);
    expect(beckon.explain().find((row) => row.id === 'all')).to.include({ reason: 'frequency:maxShows' });
  });

  it('starts a fresh ledger for a different user on the same device', async () => {
    const { beckon, events, tracked } = start({ catalog: catalogOf(message('once', { audience: 'everyone', layout: { type: 'banner' }, frequency: { maxShows: 1 } })) });
    await beckon.ready;
    beckon.identify('user-1');
    await until(() => tracked().includes('Message Shown'), 'the show for user-1');
    const first = beckon.anonymousId;
    document.querySelector('beckon-message')!.remove();
    beckon.page();
    expect(beckon.explain().find((row) => row.id === 'once')).to.include({ reason: 'frequency:maxShows' });
    beckon.identify('user-2');
    expect(beckon.anonymousId).not.to.equal(first);
    await until(() => tracked().filter((e) => e === 'Message Shown').length === 2, 'the maxShows: 1 message shown again, for user-2');
    expect(storedLedger().owner).to.equal('user-2');
    expect(events.filter((e) => e.type === 'track').map((e) => e.userId)).to.deep.equal(['user-1', 'user-2']);
  });

  it('reset forgets the visitor: identified-only messages close, and the history starts afresh', async () => {
    const { beckon } = start({ catalog: catalogOf(message('members', { audience: 'identified', layout: { type: 'banner' } }), message('anon', { frequency: { maxShows: 1 } })) });
    await beckon.ready;
    await until(() => onScreen().includes('anon'), 'the anonymous message');
    beckon.identify('user-1');
    await until(() => onScreen().includes('members'), 'the members banner');
    beckon.reset();
    expect(onScreen()).not.to.include('members');
    expect(beckon.userId).to.equal(undefined);
    await until(() => onScreen().includes('anon'), 'the maxShows: 1 message again for the new visitor');
  });

  it('picks up an identify made in another tab at the next page view', async () => {
    const { beckon } = start({ catalog });
    await beckon.ready;
    await until(() => onScreen().includes('anon-modal'), 'the anonymous modal');
    localStorage.setItem('beckon_user_id', 'user-9'); // what the other tab's identify stored
    history.pushState(null, '', '/next');
    expect(beckon.userId).to.equal('user-9');
    expect(onScreen()).not.to.include('anon-modal');
    await until(() => onScreen().includes('members'), 'the members banner');
  });

  it('follows a reset made in another tab at the next page view: a fresh ledger for the next visitor', async () => {
    const catalog = catalogOf(message('once', { layout: { type: 'banner' }, frequency: { maxShows: 1 } }));
    const here = start({ catalog });
    await here.beckon.ready;
    await until(() => here.tracked().includes('Message Shown'), 'the first show');
    document.querySelector('beckon-message')!.remove();
    // Another Beckon of this origin (as in another tab) logs the visitor out.
    const there = start({ catalog, trackPages: false });
    await there.beckon.ready;
    there.beckon.reset();
    await settled();
    history.pushState(null, '', '/next');
    expect(here.beckon.anonymousId).to.equal(there.beckon.anonymousId);
    await until(() => here.tracked().filter((e) => e === 'Message Shown').length === 2, 'the message shown again to the next visitor');
  });

  it('two tabs of a brand-new visitor that started with different anonymous ids still share one ledger', async () => {
    const catalog = catalogOf(message('once', { frequency: { maxShows: 1 } }));
    const a = start({ catalog });
    localStorage.removeItem('beckon_anonymous_id'); // the second tab read storage before the first wrote its id
    const b = start({ catalog });
    expect(a.beckon.anonymousId).not.to.equal(b.beckon.anonymousId);
    await Promise.all([a.beckon.ready, b.beckon.ready]);
    await until(() => a.tracked().length + b.tracked().length === 1, 'one show');
    // Every check-and-record asked for so far has run once the lock is free: a second show would be recorded by then.
    await settled();
    expect(storedLedger().ledger.messages.once!.s).to.have.length(1);
    expect(onScreen()).to.deep.equal(['once']);
  });
});
