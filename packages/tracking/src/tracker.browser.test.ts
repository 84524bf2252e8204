import { expect, waitUntil } from '@open-wc/testing';
import { MAX_UNLOAD_BYTES } from './limits.js';
import { createTracker, type Tracker, type TrackerOptions } from './tracker.js';
import type { BeckonEvent } from './types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Sent {
  url: string;
  keepalive: boolean;
  bytes: number;
  ids: string[];
  headers: Record<string, string>;
}

const open: Tracker[] = [];
/** A tracker sending to a recording `fetch` (the network is the end-to-end test's job); closed after each test. */
function start(options: TrackerOptions = {}) {
  const sent: Sent[] = [];
  const fetch = async (url: RequestInfo | URL, init?: RequestInit) => {
    const body = String(init?.body);
    sent.push({
      url: String(url),
      keepalive: init?.keepalive === true,
      bytes: new TextEncoder().encode(body).length,
      ids: (JSON.parse(body) as { batch: BeckonEvent[] }).batch.map((e) => e.messageId),
      headers: init?.headers as Record<string, string>,
    });
    return new Response(null, { status: 200 });
  };
  const tracker = createTracker({ endpoint: 'https://collect.example.test', writeKey: 'wk_test', fetch, flushInterval: 60_000, warn: () => {}, ...options });
  open.push(tracker);
  return { tracker, sent };
}

const cookie = (name: string) => document.cookie.split('; ').find((pair) => pair.startsWith(`${name}=`))?.slice(name.length + 1);
const clearCookie = (name: string) => (document.cookie = `${name}=; Max-Age=0; Path=/`);
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

function forgetEverything() {
  for (const name of ['beckon_anonymous_id', 'beckon_user_id']) clearCookie(name);
  for (const area of [localStorage, sessionStorage]) {
    for (const key of Object.keys(area)) if (key.startsWith('beckon')) area.removeItem(key);
  }
}

beforeEach(forgetEverything);
afterEach(() => {
  for (const tracker of open.splice(0)) tracker.close();
  forgetEverything();
});

describe('identity in a real browser', () => {
  it('keeps a random UUID in a first-party cookie (365 days, SameSite=Lax, Path=/) and in localStorage', async () => {
    const { tracker } = start();
    expect(tracker.anonymousId).to.match(UUID);
    expect(cookie('beckon_anonymous_id')).to.equal(tracker.anonymousId);
    expect(localStorage.getItem('beckon_anonymous_id')).to.equal(tracker.anonymousId);
    const stored = await (window as unknown as { cookieStore: { get(name: string): Promise<{ sameSite: string; path: string; expires: number }> } }).cookieStore.get(
      'beckon_anonymous_id',
    );
    expect(stored.sameSite).to.equal('lax');
    expect(stored.path).to.equal('/');
    expect((stored.expires - Date.now()) / 86_400_000).to.be.within(364.9, 365.1);
  });

  it('heals a cleared cookie from localStorage and cleared localStorage from the cookie', () => {
    const id = start().tracker.anonymousId;
    clearCookie('beckon_anonymous_id');
    expect(start().tracker.anonymousId).to.equal(id);
    expect(cookie('beckon_anonymous_id')).to.equal(id);
    localStorage.removeItem('beckon_anonymous_id');
    expect(start().tracker.anonymousId).to.equal(id);
    expect(localStorage.getItem('beckon_anonymous_id')).to.equal(id);
  });

  it('keeps the user id beside it, and reset clears both stores', () => {
    const { tracker } = start();
    tracker.identify('user-42');
    expect([cookie('beckon_user_id'), localStorage.getItem('beckon_user_id')]).to.deep.equal(['user-42', 'user-42']);
    expect(start().tracker.userId).to.equal('user-42');
    tracker.reset();
    expect([cookie('beckon_user_id'), localStorage.getItem('beckon_user_id')]).to.deep.equal([undefined, null]);
    expect(cookie('beckon_anonymous_id')).to.equal(tracker.anonymousId);
  });

  it('writes no cookie on page views and events while nothing changed', () => {
    const { tracker } = start();
    const native = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie')!;
    const writes: string[] = [];
    Object.defineProperty(document, 'cookie', {
      configurable: true,
      get: () => native.get!.call(document),
      set: (value: string) => (writes.push(value), native.set!.call(document, value)),
    });
    try {
      tracker.page();
      tracker.track('Clicked');
      tracker.page();
      expect(writes).to.deep.equal([]);
      clearCookie('beckon_anonymous_id');
      writes.length = 0;
      tracker.page(); // heals the cookie, once
      expect(writes.map((w) => w.split('=')[0])).to.deep.equal(['beckon_anonymous_id', 'beckon_user_id']);
    } finally {
      delete (document as unknown as Record<string, unknown>).cookie;
    }
    expect(cookie('beckon_anonymous_id')).to.equal(tracker.anonymousId);
  });

  it('a cookie domain the page is not on is refused by the browser; localStorage still keeps the id', () => {
    const first = start({ cookieDomain: 'example.com' }).tracker;
    expect(cookie('beckon_anonymous_id')).to.equal(undefined);
    expect(start({ cookieDomain: 'example.com' }).tracker.anonymousId).to.equal(first.anonymousId);
  });

  it('follows an id another tab writes at once, not only at its next page view, and stops when closed', async () => {
    const { tracker } = start();
    const changes: string[] = [];
    tracker.onIdentify((change) => changes.push(change.userId));
    const mine = tracker.anonymousId;
    // A same-origin frame stands in for a second tab: its localStorage writes reach this window as `storage` events.
    const frame = document.createElement('iframe');
    document.body.append(frame);
    try {
      const other = frame.contentWindow!;
      // What a second tab's tracker writes when it, too, found no id: its own, in the cookie and localStorage.
      other.document.cookie = 'beckon_anonymous_id=the-other-tab; Path=/';
      other.localStorage.setItem('beckon_anonymous_id', 'the-other-tab');
      // A storage event crosses the browser's processes: on a loaded machine that can take over waitUntil's default second.
      await waitUntil(() => tracker.anonymousId === 'the-other-tab', `still ${tracker.anonymousId}, not the other tab's id`, { timeout: 5000 });
      expect(mine).to.not.equal('the-other-tab');
      expect(tracker.track('After')!.anonymousId).to.equal('the-other-tab');
      // An identify in the other tab is followed, and reported, the same way.
      other.document.cookie = 'beckon_user_id=user-9; Path=/';
      other.localStorage.setItem('beckon_user_id', 'user-9');
      await waitUntil(() => tracker.userId === 'user-9', 'the other tab’s identify was not followed', { timeout: 5000 });
      expect(changes).to.deep.equal(['user-9']);
      tracker.close();
      // Listeners run in the order they were added: once this one hears the write, the tracker's would have too.
      const heard = new Promise<void>((resolve) =>
        window.addEventListener('storage', function listener({ key, newValue }) {
          if (key !== 'beckon_anonymous_id' || newValue !== 'a-third') return;
          window.removeEventListener('storage', listener);
          resolve();
        }));
      other.document.cookie = 'beckon_anonymous_id=a-third; Path=/';
      other.localStorage.setItem('beckon_anonymous_id', 'a-third');
      await heard;
      expect(tracker.anonymousId).to.equal('the-other-tab');
    } finally {
      frame.remove();
    }
  });

  it("'session' keeps the id for the tab in sessionStorage, 'memory' keeps it nowhere; neither sets a cookie", () => {
    const session = start({ storage: 'session' }).tracker;
    expect(sessionStorage.getItem('beckon_anonymous_id')).to.equal(session.anonymousId);
    expect(start({ storage: 'session' }).tracker.anonymousId).to.equal(session.anonymousId);
    const memory = start({ storage: 'memory' }).tracker;
    memory.track('Something');
    expect(memory.anonymousId).to.not.equal(session.anonymousId);
    expect(document.cookie).to.not.include('beckon');
    expect(Object.keys(localStorage).filter((key) => key.startsWith('beckon'))).to.deep.equal([]);
  });
});

describe('storage that throws on every access', () => {
  const restore: Array<() => void> = [];
  afterEach(() => restore.splice(0).forEach((undo) => undo()));

  function breakStorage() {
    const deny = () => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    };
    for (const name of ['localStorage', 'sessionStorage'] as const) {
      const original = Object.getOwnPropertyDescriptor(window, name)!;
      Object.defineProperty(window, name, { get: deny, configurable: true });
      restore.push(() => Object.defineProperty(window, name, original));
    }
    Object.defineProperty(document, 'cookie', { get: deny, set: deny, configurable: true });
    restore.push(() => delete (document as unknown as Record<string, unknown>).cookie);
  }

  it('falls back to memory, keeps one id for the page, and delivers every event', async () => {
    breakStorage();
    expect(() => localStorage).to.throw();
    const { tracker, sent } = start({ flushAt: 3 });
    const id = tracker.anonymousId;
    expect(id).to.match(UUID);
    tracker.page();
    tracker.track('Clicked');
    tracker.identify('user-1');
    await nextTask();
    expect(sent.flatMap((s) => s.ids)).to.have.length(3);
    expect(tracker.anonymousId).to.equal(id);
    expect(tracker.stats()).to.include({ accepted: 3, sent: 3, queued: 0 });
  });
});

describe('page lifecycle in a real browser', () => {
  it('on pagehide, sends everything waiting in keepalive requests of at most 64 kB', async () => {
    const { tracker, sent } = start({ flushAt: 1000 });
    const ids = Array.from({ length: 12 }, (_, i) => tracker.track('Big', { i, text: 'x'.repeat(20_000) })!.messageId);
    expect(sent).to.deep.equal([]);
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
    expect(sent.length).to.be.greaterThan(3);
    for (const request of sent) {
      expect(request.keepalive).to.equal(true);
      expect(request.bytes).to.be.at.most(MAX_UNLOAD_BYTES);
      expect(request.url).to.equal('https://collect.example.test/v1/batch');
      expect(request.headers).to.deep.equal({ 'content-type': 'application/json', 'x-beckon-write-key': 'wk_test' });
    }
    expect(sent.flatMap((s) => s.ids).sort()).to.deep.equal([...ids].sort());
    await nextTask();
    expect(tracker.stats()).to.include({ sent: 12, queued: 0 });
  });

  it('where keepalive fetch fails, hands the batch to sendBeacon with the write key in the URL, and keeps the events for the next page', async () => {
    const beacons: Array<{ url: string; body: string }> = [];
    const { tracker } = start({
      flushAt: 1000,
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
      sendBeacon: (url, body) => (beacons.push({ url, body }), true),
    });
    tracker.track('Last words');
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
    await nextTask();
    expect(beacons).to.have.length(1);
    expect(beacons[0]!.url).to.equal('https://collect.example.test/v1/batch?writeKey=wk_test');
    expect(JSON.parse(beacons[0]!.body).batch[0].event).to.equal('Last words');
    // A beacon's fate is unknown: the event stays stored, and the collector drops it if it arrives twice.
    expect(Object.keys(localStorage).filter((key) => /^beckon:queue:[^:]+:/.test(key))).to.have.length(1);
  });

  it('on visibilitychange to hidden, sends what waits the same way', async () => {
    const { tracker, sent } = start({ flushAt: 1000 });
    tracker.track('Tab switched');
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    try {
      document.dispatchEvent(new Event('visibilitychange'));
    } finally {
      delete (document as unknown as Record<string, unknown>).visibilityState;
    }
    expect(sent.map((s) => s.keepalive)).to.deep.equal([true]);
  });

  it('pauses while offline and sends at once when back online', async () => {
    const { tracker, sent } = start({ flushAt: 2 });
    window.dispatchEvent(new Event('offline'));
    tracker.track('One');
    tracker.track('Two');
    tracker.track('Three');
    await nextTask();
    expect(sent).to.deep.equal([]);
    expect(tracker.stats().queued).to.equal(3);
    window.dispatchEvent(new Event('online'));
    await nextTask();
    expect(sent.flatMap((s) => s.ids)).to.have.length(3);
  });

  it('stops listening once closed', async () => {
    const { tracker, sent } = start({ flushAt: 1000 });
    tracker.track('Before close');
    tracker.close();
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
    expect(sent).to.deep.equal([]);
  });
});
