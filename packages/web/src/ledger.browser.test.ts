// The ledger shared by tabs: caps hold across instances, other tabs' writes merge in, a dismissal elsewhere closes here.
import { expect } from '@open-wc/testing';
import { catalogOf, cleanup, message, onScreen, settled, start, storedLedger, until } from '../test/kit.js';
import { LEDGER_KEY } from '@beckon/engine';

/** Another document of this origin, as another tab would be: its storage writes reach this window as `storage` events. */
function otherTab(): Window {
  const frame = document.createElement('iframe');
  frame.className = 'fixture';
  document.body.append(frame);
  return frame.contentWindow!;
}

describe('the shared ledger', () => {
  afterEach(cleanup);

  it('lets two Beckons on one origin show a message with maxShows 1 once between them', async () => {
    const catalog = catalogOf(message('once', { frequency: { maxShows: 1 } }));
    const a = start({ catalog });
    const b = start({ catalog });
    await Promise.all([a.beckon.ready, b.beckon.ready]);
    await until(() => a.tracked().length + b.tracked().length === 1, 'one Message Shown');
    // Every check-and-record asked for so far has run once the lock is free: a second show would be recorded by then.
    await settled();
    expect(onScreen()).to.deep.equal(['once']);
    expect(storedLedger().ledger.messages.once!.s).to.have.length(1);
  });

  it('holds a per-session cap across them too', async () => {
    const catalog = catalogOf(message('capped', { layout: { type: 'banner' }, frequency: { caps: [{ max: 2, per: 'session' }] } }));
    const instances = [start({ catalog }), start({ catalog }), start({ catalog })];
    await Promise.all(instances.map((i) => i.beckon.ready));
    await until(() => onScreen().length === 2, 'two banners');
    await settled();
    expect(onScreen()).to.deep.equal(['capped', 'capped']);
    expect(storedLedger().ledger.messages.capped!.s).to.have.length(2);
  });

  it('closes a message here when another tab dismisses it, without a dismissal of its own', async () => {
    const { beckon, tracked } = start({ catalog: catalogOf(message('shared', { layout: { type: 'popup' } })) });
    await beckon.ready;
    await until(() => tracked().includes('Message Shown'), 'Message Shown');
    const stored = storedLedger();
    stored.ledger.messages.shared!.d = [Date.now() + 1];
    otherTab().localStorage.setItem(LEDGER_KEY, JSON.stringify(stored));
    await until(() => onScreen().length === 0, 'the message to close');
    expect(tracked()).to.deep.equal(['Message Shown']);
    beckon.page();
    // A show is recorded under the lock before it is drawn: none was.
    await settled();
    expect(storedLedger().ledger.messages.shared!.s).to.have.length(1);
    expect(onScreen()).to.deep.equal([]);
  });

  it('keeps what another tab recorded when it writes its own records', async () => {
    const catalog = catalogOf(message('here', { layout: { type: 'banner' } }), message('there', { pages: { include: ['/nowhere'] } }));
    const { beckon, tracked } = start({ catalog });
    await beckon.ready;
    await until(() => tracked().includes('Message Shown'), 'Message Shown');
    const stored = storedLedger();
    expect(stored.ledger.session!.views).to.equal(1);
    stored.ledger.messages.there = { s: [Date.now() - 1000] };
    otherTab().localStorage.setItem(LEDGER_KEY, JSON.stringify(stored));
    // This tab's own record: a second page view.
    beckon.page();
    await settled();
    const after = storedLedger().ledger;
    expect(after.session!.views, 'this tab wrote its page view').to.equal(2);
    expect(Object.keys(after.messages).sort(), 'and kept the other tab\'s show').to.deep.equal(['here', 'there']);
    expect(beckon.explain().find((row) => row.id === 'there')!.reason).to.equal('page');
  });

  it('ignores a stored ledger of a user who is not signed in here', async () => {
    localStorage.setItem(LEDGER_KEY, JSON.stringify({ owner: 'somebody-else', ledger: { v: 1, messages: { once: { s: [Date.now() - 5000] } } }, held: {} }));
    const { beckon } = start({ catalog: catalogOf(message('once', { frequency: { maxShows: 1 } })) });
    await beckon.ready;
    await until(() => onScreen().includes('once'), 'the message');
    expect(storedLedger().owner).to.equal('');
  });

  it('starts afresh from a corrupted stored ledger', async () => {
    localStorage.setItem(LEDGER_KEY, '{"owner": not json');
    const { beckon } = start({ catalog: catalogOf(message('fresh', { frequency: { maxShows: 1 } })) });
    await beckon.ready;
    await until(() => onScreen().includes('fresh'), 'the message');
    expect(storedLedger().ledger.messages.fresh!.s).to.have.length(1);
  });

  it('keeps the ledger per tab with storage: session and in memory with storage: memory', async () => {
    const catalog = catalogOf(message('m', { layout: { type: 'banner' } }));
    const session = start({ catalog, storage: 'session' });
    await session.beckon.ready;
    await until(() => session.tracked().includes('Message Shown'), 'Message Shown');
    expect(localStorage.getItem(LEDGER_KEY)).to.equal(null);
    expect(JSON.parse(sessionStorage.getItem(LEDGER_KEY)!).ledger.messages.m.s).to.have.length(1);
    cleanup();
    const memory = start({ catalog, storage: 'memory' });
    await memory.beckon.ready;
    await until(() => memory.tracked().includes('Message Shown'), 'Message Shown');
    expect([localStorage.getItem(LEDGER_KEY), sessionStorage.getItem(LEDGER_KEY)]).to.deep.equal([null, null]);
  });

  it('without Web Locks, every write still merges what another tab wrote', async () => {
    const locks = Object.getOwnPropertyDescriptor(Navigator.prototype, 'locks')!;
    Object.defineProperty(Navigator.prototype, 'locks', { configurable: true, get: () => undefined });
    try {
      const catalog = catalogOf(message('here', { layout: { type: 'banner' } }), message('there', { pages: { include: ['/nowhere'] } }));
      const { beckon, tracked } = start({ catalog });
      await beckon.ready;
      await until(() => tracked().includes('Message Shown'), 'Message Shown');
      await until(() => storedLedger()?.ledger.messages.here !== undefined, 'the show stored');
      const stored = storedLedger();
      stored.ledger.messages.there = { s: [Date.now() - 1000] };
      otherTab().localStorage.setItem(LEDGER_KEY, JSON.stringify(stored));
      beckon.page();
      await until(() => storedLedger().ledger.session!.views === 2, 'this tab\'s page view stored');
      expect(Object.keys(storedLedger().ledger.messages).sort(), 'the other tab\'s show kept').to.deep.equal(['here', 'there']);
    } finally {
      Object.defineProperty(Navigator.prototype, 'locks', locks);
    }
  });

  it('stores what it knows when the page goes away (pagehide), without waiting for the lock', async () => {
    const { beckon, tracked } = start({ catalog: catalogOf(message('m', { layout: { type: 'banner' } })) });
    await beckon.ready;
    await until(() => tracked().includes('Message Shown'), 'Message Shown');
    await settled();
    // Another tab holds the lock: this tab's writes wait behind it.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await new Promise<void>((acquired) => void navigator.locks.request(LEDGER_KEY, () => (acquired(), held)));
    try {
      beckon.page();
      expect(storedLedger().ledger.session!.views, 'the write waits for the lock').to.equal(1);
      window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
      expect(storedLedger().ledger.session!.views, 'stored on pagehide').to.equal(2);
    } finally {
      release();
    }
  });
});
