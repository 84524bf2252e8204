// Consent in the browser: pending stores nothing and sends nothing while messages still show; granted moves
// everything to storage and sends the waiting events once; denied wipes Beckon's cookies and keys; Global Privacy
// Control; tracked URLs without personal data. The network is watched through the browser's resource timing.
import { expect } from '@open-wc/testing';
import { catalogOf, cleanup, message, onScreen, settled, start, until } from '../test/kit.js';

const catalog = catalogOf(message('hello', { layout: { type: 'banner' } }), message('signup-offer', { pages: { include: ['/signup?email=*'] }, layout: { type: 'popup' } }));

/** Beckon's cookies and storage keys, wherever a browser keeps them, as `cookie name`, `local key`, `session key`. */
function beckonKeys(): string[] {
  const cookies = document.cookie.split('; ').filter((pair) => pair.startsWith('beckon')).map((pair) => `cookie ${pair.split('=')[0]}`);
  const keys = (area: Storage, name: string) => Object.keys(area).filter((key) => key.startsWith('beckon')).map((key) => `${name} ${key}`);
  return [...cookies, ...keys(localStorage, 'local'), ...keys(sessionStorage, 'session')].sort();
}

/** Start times of the requests to `/v1/batch` this page made, as the browser's resource timing reports them. */
function watchBatches(): { starts: number[]; stop(): void } {
  const starts: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.name.includes('/v1/batch')) starts.push(entry.startTime);
  });
  observer.observe({ type: 'resource' });
  return { starts, stop: () => observer.disconnect() };
}

/** Pretends this browser sends Global Privacy Control (as Firefox and Brave do); undone by `cleanup`. */
function sendGlobalPrivacyControl(): void {
  Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true });
}

/** Resolves once a message reports itself on screen (`beckon-shown`): its show is recorded by then. */
const nextShown = () => new Promise((resolve) => document.addEventListener('beckon-shown', resolve, { once: true }));

const names = (events: Array<{ type: string; event?: string }>) => events.map((e) => e.event ?? e.type);

describe('consent', () => {
  let network: ReturnType<typeof watchBatches>;
  beforeEach(() => (network = watchBatches()));
  afterEach(() => {
    network.stop();
    delete (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl;
    cleanup();
  });

  it('pending: a message shows, no cookie or storage key is written and nothing is sent; granted: all of it moves and the events go once, in order', async () => {
    const shown = nextShown();
    const { beckon, events } = start({ catalog, storage: 'cookie+local', endpoint: location.origin, consent: 'pending' });
    await beckon.ready;
    await shown;
    expect(onScreen()).to.deep.equal(['hello']);
    beckon.track('Browsed');
    await beckon.flush();
    await settled();
    expect(beckonKeys()).to.deep.equal([]);
    expect(events).to.deep.equal([]);
    expect(beckon.consent()).to.equal('pending');
    const granted = performance.now();
    expect(beckon.consent('granted')).to.equal('granted');
    expect(names(events)).to.deep.equal(['page', 'Message Shown', 'Browsed']);
    expect(new Set(events.map((e) => e.anonymousId))).to.deep.equal(new Set([beckon.anonymousId]));
    await beckon.flush();
    // The request that carries them is seen: so one made while pending would have been seen too.
    await until(() => network.starts.length > 0, 'the batch request');
    expect(network.starts.every((at) => at >= granted)).to.equal(true);
    await settled();
    expect(beckonKeys()).to.include.members(['cookie beckon_anonymous_id', 'local beckon_anonymous_id', 'local beckon_ledger']);
    expect(document.cookie).to.include(`beckon_anonymous_id=${beckon.anonymousId}`);
    // The history kept in memory while pending is the one stored.
    expect(JSON.parse(localStorage.getItem('beckon_ledger')!).ledger.messages.hello.s).to.have.length(1);
  });

  it('granted → denied: Beckon’s cookies and keys go from every storage area, nothing more is sent or stored, messages still show', async () => {
    // A key an earlier storage mode left behind goes too; the site's own keys stay.
    sessionStorage.setItem('beckon_anonymous_id', 'from-another-mode');
    localStorage.setItem('site-theme', 'dark');
    const { beckon, events } = start({ catalog, storage: 'cookie+local', endpoint: location.origin });
    await beckon.ready;
    await until(() => onScreen().includes('hello'), 'the banner');
    await settled();
    expect(beckonKeys()).to.include.members(['cookie beckon_anonymous_id', 'local beckon_anonymous_id', 'local beckon_ledger']);
    await beckon.flush();
    await until(() => network.starts.length > 0, 'the batch request while granted');
    const sent = events.length;
    expect(beckon.consent('denied')).to.equal('denied');
    const denied = performance.now();
    expect(beckonKeys()).to.deep.equal([]);
    expect(localStorage.getItem('site-theme')).to.equal('dark');
    // A page view records in the ledger and tracks; neither may reach storage or the network now.
    history.pushState(null, '', '/denied-page');
    beckon.track('Browsed');
    await beckon.flush();
    await settled();
    expect(onScreen()).to.include('hello');
    expect(beckonKeys()).to.deep.equal([]);
    expect(events).to.have.length(sent);
    expect(network.starts.filter((at) => at >= denied)).to.deep.equal([]);
  });

  it('a denial in another tab (which removes the id) denies this one too, which then writes nothing back', async () => {
    const { beckon, events } = start({ catalog, storage: 'cookie+local' });
    await beckon.ready;
    await settled();
    expect(beckonKeys()).to.include.members(['cookie beckon_anonymous_id', 'local beckon_anonymous_id', 'local beckon_ledger']);
    // A same-origin frame stands in for the other tab: what its consent('denied') removes.
    const frame = document.createElement('iframe');
    frame.className = 'fixture';
    document.body.append(frame);
    const other = frame.contentWindow!;
    for (const key of Object.keys(other.localStorage).filter((key) => key.startsWith('beckon'))) other.localStorage.removeItem(key);
    for (const name of ['beckon_anonymous_id', 'beckon_user_id']) other.document.cookie = `${name}=; Max-Age=0; Path=/`;
    await until(() => beckon.consent() === 'denied', 'this tab to follow the denial');
    const sent = events.length;
    history.pushState(null, '', '/after-denial');
    beckon.track('Browsed');
    await beckon.flush();
    await settled();
    expect(beckonKeys()).to.deep.equal([]);
    expect(events).to.have.length(sent);
  });

  it('Global Privacy Control means denied (Beckon’s keys wiped at start) until the site grants explicitly', async () => {
    localStorage.setItem('beckon_ledger', '{}');
    document.cookie = 'beckon_anonymous_id=earlier; Path=/';
    sendGlobalPrivacyControl();
    const shown = nextShown();
    const { beckon, events } = start({ catalog, storage: 'cookie+local', consent: 'granted' });
    expect(beckon.consent()).to.equal('denied');
    expect(beckonKeys()).to.deep.equal([]);
    await beckon.ready;
    await shown;
    await settled();
    expect(beckonKeys()).to.deep.equal([]);
    expect(events).to.deep.equal([]);
    // The site asked, and the visitor said yes.
    beckon.consent('granted');
    beckon.track('Agreed');
    await settled();
    expect(names(events)).to.deep.equal(['Agreed']);
    expect(beckonKeys()).to.include('cookie beckon_anonymous_id');
  });

  it('Global Privacy Control is not read with respectGlobalPrivacyControl: false', async () => {
    sendGlobalPrivacyControl();
    const { beckon } = start({ catalog, respectGlobalPrivacyControl: false });
    expect(beckon.consent()).to.equal('granted');
  });

  it('a tracked URL leaves without ?email= (and the like), while page rules still see the whole URL', async () => {
    history.replaceState(null, '', '/signup?email=ann%40example.test&plan=pro&token=t');
    document.title = 'Sign up';
    const { beckon, events } = start({ catalog, trackPages: true });
    await beckon.ready;
    await until(() => onScreen().includes('signup-offer'), 'the offer matched on ?email=');
    beckon.page('Signup', { url: location.href, referrer: 'https://mail.example.test/?token=abc' });
    const pages = events.filter((e) => e.type === 'page');
    expect(pages.map((e) => e.context!.page!.url)).to.deep.equal([`${location.origin}/signup?plan=pro`, `${location.origin}/signup?plan=pro`]);
    expect(pages[1]!.properties).to.deep.equal({ url: `${location.origin}/signup?plan=pro`, referrer: 'https://mail.example.test/' });
    expect(JSON.stringify(events)).not.to.match(/ann%40|token=/);
  });
});
