// @beckon/react/native in Node with no DOM (as React Native runs it): the provider and hooks over the engine,
// screens named by the app, headless messages with their controls, identify, StrictMode, and the events a real
// `beckon serve` stores. Runs against React 19 and, in the "react 18" project, React 18.
import { createElement, Fragment, useState, version, type ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Database, startTestServer, type TestServer } from '../../../../test/e2e/server-harness.js';
import { render, inAct, until } from '../../test/kit.js';
import {
  BeckonMessages,
  BeckonProvider,
  createNativeBeckon,
  loadAsyncStorage,
  useBeckon,
  useMessages,
  useScreen,
  type BeckonApi,
  type HeadlessMessage,
  type NativeBeckonClient,
  type AsyncStorageLike,
  type NativeBeckonOptions,
} from './index.js';

const CATALOG = {
  messages: [
    {
      id: 'checkout-offer',
      screens: { include: ['Checkout'] },
      frequency: { maxShows: 1 },
      layout: { type: 'modal' },
      content: {
        title: 'Free shipping today',
        actions: [
          { id: 'signup', label: 'Sign up', url: '/signup' },
          { id: 'later', label: 'Later', dismiss: true },
        ],
      },
    },
    { id: 'home-banner', screens: { include: ['Home'] }, layout: { type: 'banner' }, content: { title: 'Welcome' } },
    { id: 'members', audience: 'identified', screens: { include: ['Home'] }, layout: { type: 'popup' }, content: { title: 'Hello again' } },
  ],
};

/** `createAsyncStorage` of the async-storage package's own in-memory implementation (its `/jest` entry). */
type CreateAsyncStorage = (name: string) => AsyncStorageLike & { getAllKeys(): Promise<string[]> };
// Named at run time: its package points TypeScript at sources written for React Native's compiler settings.
const MOCK = '@react-native-async-storage/async-storage/jest';
const { createAsyncStorage } = (await import(MOCK)) as { createAsyncStorage: CreateAsyncStorage };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ catalog: CATALOG });
});
afterAll(() => server?.close());

const clients: NativeBeckonClient[] = [];
afterEach(() => clients.splice(0).forEach((client) => client.destroy()));

/** Starts a client against the test server (a fresh visitor unless `storage` says otherwise), remembered for cleanup. */
function start(over: NativeBeckonOptions = {}): NativeBeckonClient {
  const client = createNativeBeckon({ endpoint: server.url, ...over });
  clients.push(client);
  return client;
}

/** Events the server stored for `anonymousId`, as `type name message_id` lines, oldest first. */
function stored(anonymousId: string): string[] {
  const db = new Database(server.dbFile, { readonly: true });
  try {
    const rows = db.prepare('SELECT type, name, message_id FROM events WHERE anonymous_id = ? ORDER BY seq').all(anonymousId) as Array<Record<string, string | null>>;
    return rows.map((row) => [row.type, row.name, row.message_id].filter(Boolean).join(' '));
  } finally {
    db.close();
  }
}

/** The stored bodies' properties of `event` for `anonymousId`. */
function propertiesOf(anonymousId: string, event: string): Array<Record<string, unknown>> {
  const db = new Database(server.dbFile, { readonly: true });
  try {
    const rows = db.prepare('SELECT body FROM events WHERE anonymous_id = ? AND name = ? ORDER BY seq').all(anonymousId, event) as Array<{ body: string }>;
    return rows.map((row) => (JSON.parse(row.body) as { properties: Record<string, unknown> }).properties);
  } finally {
    db.close();
  }
}

/** What the test components saw: the API and the headless messages of the last render. */
interface Seen {
  api?: BeckonApi;
  messages: readonly HeadlessMessage[];
}

/** A screen of the app: names itself, and lists the headless messages it is given. */
function Screen({ name, seen }: { name: string; seen: Seen }): ReactNode {
  useScreen(name);
  seen.api = useBeckon();
  seen.messages = useMessages();
  return createElement(BeckonMessages, { render: (m) => `${m.layout.type}:${m.content.title}` });
}

const text = (json: unknown): string => JSON.stringify(json);

describe('@beckon/react/native in Node, no DOM', () => {
  it('runs on the React this project names', () => {
    expect(version.split('.')[0]).toBe(process.env.BECKON_REACT);
    expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined');
  });

  it('shows a screen’s message through the hooks, and records the show, a click and a dismissal once each (StrictMode)', async () => {
    const client = start();
    const seen: Seen = { messages: [] };
    const tree = await render(createElement(BeckonProvider, { client }, createElement(Screen, { name: 'Checkout', seen })));
    await until(() => seen.messages.map((m) => m.id), (ids) => ids.join() === 'checkout-offer', 'the checkout offer');
    // <BeckonMessages> drew it with the app's component, and reported it shown (once, though StrictMode ran effects twice).
    expect(text(tree.root.toJSON())).toContain('modal:Free shipping today');
    const offer = seen.messages[0]!;
    offer.shown();
    let url: string | undefined;
    await inAct(() => (url = offer.action('signup')));
    expect(url).toBe('/signup');
    await inAct(() => offer.action('later'));
    expect(seen.messages).toEqual([]);
    expect(text(tree.root.toJSON())).not.toContain('Free shipping');
    await client.flush();
    const id = client.anonymousId;
    const events = await until(() => stored(id), (e) => e.some((x) => x.includes('Dismissed')), 'the dismissal at the server');
    expect(events).toEqual([
      'screen Checkout',
      'track Message Shown checkout-offer',
      'track Message Clicked checkout-offer',
      'track Message Clicked checkout-offer',
      'track Message Dismissed checkout-offer',
    ]);
    expect(propertiesOf(id, 'Message Clicked').map((p) => [p.action_id, p.url])).toEqual([['signup', '/signup'], ['later', null]]);
    expect(propertiesOf(id, 'Message Dismissed').map((p) => p.via)).toEqual(['action']);
    expect(propertiesOf(id, 'Message Shown').map((p) => p.layout)).toEqual(['modal']);
    await tree.unmount();
  });

  it('filters by layout, withdraws a message when the screen changes, and closes anonymous ones on identify', async () => {
    const client = start();
    const seen: Seen = { messages: [] };
    const modals: Seen = { messages: [] };
    function Modals(): ReactNode {
      modals.messages = useMessages({ layout: ['modal', 'popup'] });
      return null;
    }
    function App({ name }: { name: string }): ReactNode {
      return createElement(Fragment, null, createElement(Screen, { key: name, name, seen }), createElement(Modals));
    }
    const tree = await render(createElement(BeckonProvider, { client }, createElement(App, { name: 'Home' })));
    await until(() => seen.messages.map((m) => m.id), (ids) => ids.join() === 'home-banner', 'the home banner');
    expect(modals.messages).toEqual([]);
    await tree.update(createElement(BeckonProvider, { client }, createElement(App, { name: 'Checkout' })));
    await until(() => seen.messages.map((m) => m.id), (ids) => ids.join() === 'checkout-offer', 'the banner withdrawn and the offer shown');
    expect(modals.messages.map((m) => m.id)).toEqual(['checkout-offer']);
    await tree.update(createElement(BeckonProvider, { client }, createElement(App, { name: 'Home' })));
    await until(() => seen.messages.map((m) => m.id), (ids) => ids.join() === 'home-banner', 'the home banner again');
    await inAct(() => seen.api!.identify('user-7'));
    // The anonymous banner closes at once; the members popup shows.
    await until(() => seen.messages.map((m) => m.id), (ids) => ids.join() === 'members', 'the members popup');
    expect(seen.api!.userId).toBe('user-7');
    await client.flush();
    const events = await until(() => stored(client.anonymousId), (e) => e.includes('track Message Shown members'), 'the members show');
    // Withdrawn messages are not dismissals: nothing but views, shows and the identify.
    expect(events.filter((e) => !e.startsWith('track Message Shown'))).toEqual(['screen Home', 'screen Checkout', 'screen Home', 'identify']);
    await tree.unmount();
  });

  it('starts once from options under StrictMode: one screen view, calls made before it started wait, unmount stops it', async () => {
    const seen: Seen = { messages: [] };
    // A child's effect runs before its provider's: this identify comes before Beckon has started.
    function EarlyIdentify(): ReactNode {
      const beckon = useBeckon();
      const [done] = useState(() => ({ once: false }));
      if (!done.once) {
        done.once = true;
        beckon.identify('early-user');
      }
      return null;
    }
    const options: NativeBeckonOptions = { endpoint: server.url };
    const tree = await render(createElement(BeckonProvider, { options }, createElement(EarlyIdentify), createElement(Screen, { name: 'Home', seen })));
    const client = await until(() => seen.api?.client, (c) => c !== undefined, 'the client');
    expect(client!.userId).toBe('early-user');
    await until(() => seen.messages.map((m) => m.id), (ids) => ids.join() === 'members', 'the members popup');
    await client!.flush();
    const id = client!.anonymousId;
    const events = await until(() => stored(id), (e) => e.includes('track Message Shown members'), 'the show');
    expect(events).toEqual(['identify', 'screen Home', 'track Message Shown members']);
    await tree.unmount();
    // Stopped: a screen after unmount records nothing, and the message is gone.
    await inAct(() => Promise.resolve());
    client!.screen('Checkout');
    await client!.flush();
    expect(stored(id)).toEqual(events);
  });

  it('dismiss(via) records the app’s own reason once, and the message leaves the list', async () => {
    const client = start();
    const seen: Seen = { messages: [] };
    const tree = await render(createElement(BeckonProvider, { client }, createElement(Screen, { name: 'Checkout', seen })), { strict: false });
    await until(() => seen.messages.length, (n) => n === 1, 'one message');
    // dismiss(via) with the app's own reason, and a second dismiss does nothing.
    await inAct(() => seen.messages[0]!.dismiss('swipe'));
    expect(seen.messages).toEqual([]);
    await client.flush();
    const events = await until(() => stored(client.anonymousId), (e) => e.some((x) => x.includes('Dismissed')), 'the dismissal');
    expect(events.filter((e) => e.includes('Dismissed'))).toHaveLength(1);
    expect(propertiesOf(client.anonymousId, 'Message Dismissed').map((p) => p.via)).toEqual(['swipe']);
    await tree.unmount();
  });
  it('consent: pending stores and sends nothing (a message still shows); granted through useBeckon sends what waited', async () => {
    const disk = createAsyncStorage(`beckon-test-${Math.random()}`);
    const storage = await loadAsyncStorage(disk);
    const client = start({ storage, consent: 'pending' });
    const seen: Seen = { messages: [] };
    const tree = await render(createElement(BeckonProvider, { client }, createElement(Screen, { name: 'Home', seen })));
    await until(() => seen.messages.map((m) => m.id), (ids) => ids.join() === 'home-banner', 'the banner, without consent');
    expect(seen.api!.consent()).toBe('pending');
    await client.flush();
    await storage.written();
    expect(stored(client.anonymousId)).toEqual([]);
    expect(await disk.getAllKeys()).toEqual([]);
    await inAct(() => expect(seen.api!.consent('granted')).toBe('granted'));
    await client.flush();
    const events = await until(() => stored(client.anonymousId), (e) => e.length === 2, 'the waiting events');
    expect(events).toEqual(['screen Home', 'track Message Shown home-banner']);
    await storage.written();
    expect(await disk.getAllKeys()).toEqual(expect.arrayContaining(['beckon_anonymous_id', 'beckon_ledger']));
    await tree.unmount();
  });
});

describe('AsyncStorage through loadAsyncStorage (the async-storage package’s own in-memory implementation)', () => {
  it('keeps the visitor and their history across app starts: same anonymous id, a maxShows: 1 message not again', async () => {
    const disk = createAsyncStorage(`beckon-test-${Math.random()}`);
    const firstStore = await loadAsyncStorage(disk);
    const first = start({ storage: firstStore });
    const seen: Seen = { messages: [] };
    let tree = await render(createElement(BeckonProvider, { client: first }, createElement(Screen, { name: 'Checkout', seen })));
    await until(() => seen.messages.length, (n) => n === 1, 'the offer');
    const id = first.anonymousId;
    await tree.unmount();
    first.destroy();
    await firstStore.written();
    // Every write reached AsyncStorage: the next start reads it back.
    expect(await disk.getItem('beckon_anonymous_id')).toContain(id);
    expect(JSON.parse((await disk.getItem('beckon_ledger'))!).ledger).toBeTruthy();

    const store = await loadAsyncStorage(disk);
    const second = start({ storage: store });
    expect(second.anonymousId).toBe(id);
    const again: Seen = { messages: [] };
    tree = await render(createElement(BeckonProvider, { client: second }, createElement(Screen, { name: 'Checkout', seen: again })));
    await second.ready;
    await inAct(() => Promise.resolve());
    expect(again.messages).toEqual([]);
    expect(second.explain(undefined, { screen: 'Checkout' }).find((row) => row.id === 'checkout-offer')?.reason).toBe('frequency:maxShows');
    await tree.unmount();
  });

  it('writes through in order, reads only Beckon’s keys, and keeps working in memory when AsyncStorage fails', async () => {
    const disk = createAsyncStorage(`beckon-test-${Math.random()}`);
    await disk.setItem('beckon_ledger', '{"owner":""}');
    await disk.setItem('app_setting', 'dark');
    const store = await loadAsyncStorage(disk);
    expect(store.keys()).toEqual(['beckon_ledger']);
    store.set('beckon_x', '1');
    store.set('beckon_x', '2');
    store.remove('beckon_ledger');
    expect(store.get('beckon_x')).toBe('2');
    await store.written();
    expect(await disk.getAllKeys()).toEqual(expect.arrayContaining(['app_setting', 'beckon_x']));
    expect(await disk.getItem('beckon_x')).toBe('2');
    expect(await disk.getItem('beckon_ledger')).toBeNull();

    const errors: unknown[] = [];
    const broken = { ...disk, getAllKeys: () => Promise.reject(new Error('disk gone')), setItem: () => Promise.reject(new Error('disk full')) };
    const memory = await loadAsyncStorage(broken, { onError: (error) => errors.push(error) });
    memory.set('beckon_y', 'kept');
    await memory.written();
    expect(memory.get('beckon_y')).toBe('kept');
    expect(errors.map(String)).toEqual(['Error: disk gone', 'Error: disk full']);
  });
});
