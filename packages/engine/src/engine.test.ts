// The engine driven in plain Node, with no DOM globals: the host here is the test, with its own clock, store,
// renderer and trigger waiter.
import { compileCatalog, type CompiledMessage, type Message, type PendingTrigger } from '@beckon/rules';
import { callbackDestination, createTracker, memoryStore, type BeckonEvent, type Consent, type KeyValueStore } from '@beckon/tracking';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, headlessRenderer, LEDGER_KEY, loadCatalog, type Engine, type EngineOptions, type MessageControls, type Renderer } from './index.js';

const T0 = Date.parse('2026-12-07T12:00:00Z');

function message(id: string, over: Partial<Message> = {}): Message {
  return { id, layout: { type: 'modal' }, content: { title: `Title of ${id}` }, ...over };
}

/** What the test renderer was asked to do, and the controls of each message it drew. */
interface Drawn {
  message: CompiledMessage;
  controls: MessageControls;
  open: boolean;
}

const running: Engine[] = [];
afterEach(() => running.splice(0).forEach((engine) => engine.destroy()));

/** Starts an engine over `messages` with a controlled clock, a memory store, and a renderer that records. */
function host(messages: Message[], over: Partial<EngineOptions> & { store?: KeyValueStore; consent?: Consent } = {}) {
  const clock = { now: T0 };
  /** Where the visitor is: the test moves them with `go`. */
  const where = { url: 'https://shop.example.com/' };
  const store = over.store ?? memoryStore();
  const events: BeckonEvent[] = [];
  const drawn: Drawn[] = [];
  const prepared: string[][] = [];
  /** Triggers waiting to fire, by message id: the test fires them. */
  const waiting = new Map<string, { trigger: PendingTrigger; fire: () => void; signal: AbortSignal }>();
  const renderer: Renderer = {
    prepare: (list) => void prepared.push(list.map((m) => m.id)),
    countsWhenSeen: () => false,
    whenReady: (_message, _signal, then) => then(),
    present(message, controls) {
      const entry = { message, controls, open: true };
      drawn.push(entry);
      // On screen at once, as an element reports itself shown once rendered.
      void Promise.resolve().then(() => controls.shown());
      return { close: () => void (entry.open = false), alive: () => entry.open };
    },
  };
  const tracker = createTracker({
    stores: [store],
    now: () => clock.now,
    context: () => ({}),
    destinations: [callbackDestination('test', (event) => void events.push(event))],
    consent: over.consent,
  });
  const engine = createEngine({
    catalog: { compiled: compileCatalog(messages), invalid: [] },
    tracker,
    renderer,
    url: () => where.url,
    now: () => clock.now,
    random: () => 0.5,
    ledger: { store },
    whenTriggered: (trigger, signal, fire) => {
      // The key is the trigger's shape: each test arms one trigger at a time.
      waiting.set(JSON.stringify(trigger), { trigger, fire, signal });
    },
    ...over,
  });
  running.push(engine);
  const open = () => drawn.filter((d) => d.open).map((d) => d.message.id);
  const tracked = () => events.flatMap((e) => (e.type === 'track' ? [e.event] : []));
  /** A page view at `url`. */
  const go = (url: string, name?: string) => {
    where.url = url;
    engine.page(name);
  };
  return { engine, go, clock, store, events, drawn, prepared, waiting, open, tracked };
}

describe('the engine in Node', () => {
  it('runs with no DOM globals at all', () => {
    // (Not `navigator`: newer Node versions have one, as workers do.)
    for (const name of ['window', 'document', 'location', 'localStorage', 'customElements', 'HTMLElement']) {
      expect(name in globalThis, name).toBe(false);
    }
  });

  it('decides a page view, shows the winner, records the show and sends the events', async () => {
    const { engine, go, store, drawn, open, tracked, events } = host([message('pricing', { pages: { include: ['/pricing'] } }), message('home', { pages: { include: ['/'] } })]);
    go('https://shop.example.com/pricing', 'Pricing');
    await engine.ready;
    await settle();
    expect(open()).toEqual(['pricing']);
    expect(drawn).toHaveLength(1);
    expect(tracked()).toEqual(['Message Shown']);
    expect(events[0]).toMatchObject({ type: 'page', name: 'Pricing' });
    const stored = JSON.parse(store.get(LEDGER_KEY)!);
    // Within the millisecond before the decision (a record's time carries a sub-millisecond fraction of the writer's).
    const [shownAt, ...more] = stored.ledger.messages.pricing.s as number[];
    expect(more).toEqual([]);
    expect(shownAt).toBeGreaterThan(T0 - 1);
    expect(shownAt).toBeLessThan(T0);
    expect(stored.ledger.session.views).toBe(1);
  });

  it('decides nothing before the first view, and never prepares the renderer for a page with no eligible message', async () => {
    const { engine, go, prepared, drawn } = host([message('pricing', { pages: { include: ['/pricing'] } })]);
    await engine.ready;
    expect(engine.explain('https://shop.example.com/pricing').map((e) => e.show)).toEqual([true]);
    go('https://shop.example.com/about');
    await settle();
    expect(prepared).toEqual([]);
    expect(drawn).toEqual([]);
  });

  it('prepares the renderer once per view for messages that will or may show, before their triggers fire', async () => {
    const { engine, go, prepared, waiting, open, clock } = host([
      message('later', { trigger: { delay: '5s' } }),
      message('on-cart', { trigger: { event: 'added_to_cart' }, layout: { type: 'banner' } }),
    ]);
    go('https://shop.example.com/');
    await engine.ready;
    expect(prepared).toEqual([['later', 'on-cart']]);
    expect(open()).toEqual([]);
    // The delay is the host's to wait for; firing it shows the message.
    const delay = waiting.get(JSON.stringify({ delay: 5000 }))!;
    clock.now += 5000;
    delay.fire();
    await settle();
    expect(open()).toEqual(['later']);
    clock.now += 1000;
    engine.track('added_to_cart', { sku: 'A1' });
    await settle();
    expect(open()).toEqual(['later', 'on-cart']);
    expect(prepared).toHaveLength(1);
    // A new view cancels what waited in the old one and prepares again.
    go('https://shop.example.com/next');
    expect(delay.signal.aborted).toBe(true);
    expect(prepared).toHaveLength(2);
  });

  it('targets app screens by name', async () => {
    const { engine, open } = host([message('checkout', { screens: { include: ['Checkout*'] }, pages: { include: ['/nowhere'] } })]);
    await engine.ready;
    engine.screen('Home');
    await settle();
    expect(open()).toEqual([]);
    engine.screen('CheckoutPayment');
    await settle();
    expect(open()).toEqual(['checkout']);
  });

  it('keeps the history in the host store: a second engine on it respects maxShows', async () => {
    const first = host([message('once', { frequency: { maxShows: 1 } })]);
    first.go('https://shop.example.com/');
    await first.engine.ready;
    await settle();
    expect(first.open()).toEqual(['once']);
    first.engine.destroy();
    const second = host([message('once', { frequency: { maxShows: 1 } })], { store: first.store });
    second.go('https://shop.example.com/');
    await second.engine.ready;
    await settle();
    expect(second.open()).toEqual([]);
    expect(second.engine.explain()[0]).toMatchObject({ id: 'once', show: false, reason: 'frequency:maxShows' });
    expect(second.engine.anonymousId).toBe(first.engine.anonymousId);
  });

  // The storage a host may give: none (memory only), a store, a store under a cross-tab lock that answers later.
  const storages: Array<[string, () => EngineOptions['ledger']]> = [
    ['memory only', () => ({})],
    ['a store', () => ({ store: memoryStore() })],
    ['a store under a lock', () => ({ store: memoryStore(), lock: (task) => new Promise((resolve) => setTimeout(resolve, 1)).then(task) })],
  ];
  for (const [name, ledger] of storages) {
    it(`shows every winner of one decision in the same millisecond, and records no show after now (${name})`, async () => {
      const messages = [message('banner', { layout: { type: 'banner' } }), message('popup', { layout: { type: 'popup' } })];
      // The clock stands still: both shows are recorded in one millisecond, as a fast page does without a lock.
      const { engine, go, open, clock } = host(messages, { ledger: ledger() });
      go('https://shop.example.com/');
      await engine.ready;
      await settle();
      expect(open().sort()).toEqual(['banner', 'popup']);
      // A decision at the same moment sees both shows in its past: the other is "already showing", not shown in the future.
      const rows = engine.explain();
      expect(rows.map(({ id, reason, detail }) => [id, reason, detail])).toEqual([
        ['banner', 'limit', 'already showing'],
        ['popup', 'limit', 'already showing'],
      ]);
      expect(clock.now).toBe(T0);
    });
  }

  it('records what the visitor does through the controls, and a dismissal stops the message', async () => {
    const { engine, go, drawn, tracked, store } = host([message('offer')]);
    go('https://shop.example.com/');
    await engine.ready;
    await settle();
    drawn[0]!.controls.clicked('signup', '/signup');
    drawn[0]!.controls.dismissed('close');
    await settle();
    expect(tracked()).toEqual(['Message Shown', 'Message Clicked', 'Message Dismissed']);
    const history = JSON.parse(store.get(LEDGER_KEY)!).ledger.messages.offer;
    expect(history.a).toHaveLength(1);
    expect(history.d).toHaveLength(1);
    go('https://shop.example.com/again');
    await settle();
    expect(engine.explain()[0]).toMatchObject({ reason: 'dismissed' });
  });

  it('closes anonymous-only messages on identify, and keeps the history', async () => {
    const { engine, go, open, events, clock } = host([message('anon', { audience: 'anonymous' }), message('members', { audience: 'identified', layout: { type: 'banner' } })]);
    go('https://shop.example.com/');
    await engine.ready;
    await settle();
    expect(open()).toEqual(['anon']);
    clock.now += 1000;
    engine.identify('user-42', { plan: 'pro' });
    await settle();
    expect(open()).toEqual(['members']);
    expect(engine.userId).toBe('user-42');
    expect(events.find((e) => e.type === 'identify')).toMatchObject({ userId: 'user-42' });
  });

  it('hands messages to a headless host, which counts the show when it says so', async () => {
    const seen: string[] = [];
    let controls: MessageControls | undefined;
    const { engine, go, tracked } = host([message('offer')], {
      renderer: headlessRenderer((m, c) => {
        seen.push(m.id);
        controls = c;
      }, () => undefined),
    });
    go('https://shop.example.com/');
    await engine.ready;
    await settle();
    expect(seen).toEqual(['offer']);
    expect(tracked()).toEqual([]);
    controls!.shown();
    controls!.shown();
    await settle();
    expect(tracked()).toEqual(['Message Shown']);
  });

  it('loads an authored catalog through the compiler it is given, and a compiled one without it', async () => {
    const compiled = compileCatalog([message('a')]);
    const log = () => undefined;
    const noCompiler = () => Promise.reject(new Error('the compiler must not load'));
    const fetched = await loadCatalog({ catalogUrl: 'https://beckon.example.com/v1/catalog' }, { fetch: async () => new Response(JSON.stringify(compiled)), loadCompiler: noCompiler, log });
    expect(fetched?.compiled).toEqual(compiled);
    const authored = await loadCatalog({ catalog: { messages: [message('b')] } }, { fetch, loadCompiler: async () => ({ compileAuthored: (source) => ({ compiled: compileCatalog((source as { messages: Message[] }).messages), invalid: [] }) }), log });
    expect(authored?.compiled.messages.map((m) => m.id)).toEqual(['b']);
    const warnings: string[] = [];
    expect(await loadCatalog({}, { fetch, loadCompiler: noCompiler, log: (_kind, text) => void warnings.push(text) })).toBeUndefined();
    expect(warnings).toEqual(['no catalog, so no message shows']);
  });
});

/**
 * Resolves once the engine's queued ledger writes and shows have run: without a lock they wait on promises only,
 * and every promise callback runs before the next task.
 */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('consent', () => {
  it('pending: shows messages with the history in memory, and stores and sends nothing; granted: both move, events in order', async () => {
    const { engine, go, store, events, open, tracked } = host([message('once', { frequency: { maxShows: 1 } })], { consent: 'pending' });
    await engine.ready;
    go('https://shop.example.com/a');
    await settle();
    expect(open()).toEqual(['once']);
    expect(store.keys!()).toEqual([]);
    expect(events).toEqual([]);
    // The history in memory still counts: the message is not shown again on the next page.
    go('https://shop.example.com/b');
    await settle();
    expect(engine.explain().find((row) => row.id === 'once')).toMatchObject({ reason: 'frequency:maxShows' });
    expect(engine.consent('granted')).toBe('granted');
    await settle();
    expect(events.map((e) => (e.type === 'track' ? e.event : e.type))).toEqual(['page', 'Message Shown', 'page']);
    expect(tracked()).toEqual(['Message Shown']);
    expect(JSON.parse(store.get(LEDGER_KEY)!).ledger.messages.once.s).toHaveLength(1);
    expect(store.get('beckon_anonymous_id')).toBe(engine.anonymousId);
  });

  it('granted merges the memory history with one already stored (a returning visitor)', async () => {
    const store = memoryStore();
    const first = host([message('seen', { frequency: { maxShows: 2 } })], { store });
    await first.engine.ready;
    first.go('https://shop.example.com/');
    await settle();
    first.engine.destroy();
    const { engine, go, clock } = host([message('seen', { frequency: { maxShows: 2 } })], { store, consent: 'pending' });
    await engine.ready;
    clock.now += 60_000;
    go('https://shop.example.com/x');
    await settle();
    engine.consent('granted');
    await settle();
    expect(JSON.parse(store.get(LEDGER_KEY)!).ledger.messages.seen.s).toHaveLength(2);
  });

  it('denied: forgets the ledger’s store (or runs the host’s forget), sends nothing, and messages still show', async () => {
    const { engine, go, store, events, open } = host([message('hello', { layout: { type: 'banner' } })]);
    await engine.ready;
    go('https://shop.example.com/');
    await settle();
    expect(store.get(LEDGER_KEY)).toBeDefined();
    const sent = events.length;
    expect(engine.consent('denied')).toBe('denied');
    expect(store.keys!()).toEqual([]);
    go('https://shop.example.com/next');
    await settle();
    expect(open()).toContain('hello');
    expect(store.keys!()).toEqual([]);
    expect(events).toHaveLength(sent);
    let forgotten = 0;
    const other = host([], { consent: 'denied', forget: () => void forgotten++ });
    expect(forgotten).toBe(1);
    other.engine.consent('granted');
    other.engine.consent('denied');
    expect(forgotten).toBe(2);
  });
});
