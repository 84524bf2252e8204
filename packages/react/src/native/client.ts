// Beckon in React Native: the engine with no DOM, its messages all drawn by the app (headless), screens named by the
// app, its history in the store the app loaded (AsyncStorage through `loadAsyncStorage`), events sent with fetch.
import { createEngine, createLog, headlessRenderer, loadCatalog, type BeckonLimits, type Compiler, type Engine } from '@beckon/engine';
import type { Catalog, CompiledCatalog, Message } from '@beckon/rules/runtime';
import { createTracker, memoryStore, type Consent, type KeyValueStore } from '@beckon/tracking';
import type { BeckonClient } from '../api.js';
import { createFeed, type MessageFeed } from '../feed.js';
import { VERSION } from '../version.js';
import { isSafeActionUrl } from './safe-url.js';

/** Options of `createNativeBeckon`. Give `catalog`, `catalogUrl` or `endpoint`. */
export interface NativeBeckonOptions {
  /** The messages, inline: compiled (`beckon compile`), or authored (then give `loadCompiler`). */
  catalog?: CompiledCatalog | Catalog | readonly Message[];
  /**
   * For authored catalogs only: `() => import('@beckon/engine/compiler')`. Metro bundles what an app imports, even
   * lazily, so the compiler (about 14 kB gzip) is in the app only when it asks for it; the server's catalog is compiled.
   */
  loadCompiler?: () => Promise<Compiler>;
  /** Where to fetch the catalog. Default: `${endpoint}/v1/catalog`. */
  catalogUrl?: string;
  /** The Beckon server: events go to its `/v1/batch`. Without it, nothing is sent. */
  endpoint?: string;
  /** Identifies the app to the server (`x-beckon-write-key`). */
  writeKey?: string;
  /** Where the anonymous id, unsent events and message history live: `await loadAsyncStorage(AsyncStorage)`. Default: memory. */
  storage?: KeyValueStore;
  /**
   * `'granted'` (default), `'pending'` (nothing stored or sent until `consent('granted')`; events wait in memory) or
   * `'denied'` (Beckon's keys removed, nothing sent). Messages show in every state.
   */
  consent?: Consent;
  limits?: BeckonLimits;
  /** Log every decision. */
  debug?: boolean;
  /** `fetch` (default: the global one). */
  fetch?: typeof fetch;
  /** The clock, epoch ms (default `Date.now`). */
  now?: () => number;
}

/** Beckon in a React Native app: the engine's API, and the messages your components draw. */
export interface NativeBeckonClient extends BeckonClient {
  readonly messages: MessageFeed;
}

/**
 * Starts Beckon in a React Native app (or any host without a DOM). Every message goes to `useMessages` and
 * `<BeckonMessages>`; name screens with `useScreen` or `screen(name)`. Never throws.
 */
export function createNativeBeckon(options: NativeBeckonOptions = {}): NativeBeckonClient {
  const log = createLog();
  const messages = createFeed(isSafeActionUrl);
  const store = options.storage ?? memoryStore();
  const now = options.now ?? Date.now;
  const fetcher: typeof fetch = (...args) => (options.fetch ?? fetch)(...args);
  const tracker = createTracker({
    endpoint: options.endpoint,
    writeKey: options.writeKey,
    stores: [store],
    consent: options.consent,
    library: { name: '@beckon/react', version: VERSION },
    // No page in an app: events carry their screen in `name`.
    context: () => ({}),
    // Hermes has no `crypto` unless the app adds it.
    randomId: uuid,
    // No page to leave: events wait in `storage` until sent (every few seconds, `flush()`, or the next start).
    lifecycle: { online: () => true, watch: () => () => undefined },
    fetch: fetcher,
    now,
  });
  const engine: Engine = createEngine({
    catalog: loadCatalog(options, { fetch: fetcher, loadCompiler: options.loadCompiler ?? noCompiler, log }),
    tracker,
    renderer: headlessRenderer(messages.onMessage, log),
    ledger: { store },
    now,
    random: Math.random,
    limits: options.limits,
    debug: options.debug,
    log,
  });
  return Object.assign(engine, { messages });
}

async function noCompiler(): Promise<Compiler> {
  throw new Error('the catalog is not compiled: pass loadCompiler');
}

/** A random UUID v4: `crypto.randomUUID` where the app has it, else from `Math.random`. */
export function uuid(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (crypto?.randomUUID) return crypto.randomUUID();
  return '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) => (+c ^ (Math.random() * 16) >> (+c / 4)).toString(16));
}
