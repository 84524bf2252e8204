// The browser shell: what only a browser needs, around the engine. Page and SPA tracking, storage (cookies,
// `localStorage`, Web Locks, the `storage` event), scroll, exit-intent and delay triggers, and `<beckon-message>`.
import { createEngine, createLog, headlessRenderer, loadCatalog, type Compiler, type Log } from '@beckon/engine';
import { createTracker, type StorageMode, type Tracker, type TrackerOptions } from '@beckon/tracking';
import { browserLedger } from './ledger-storage.js';
import { watchNavigation } from './page-tracking.js';
import { defineElements, elementRenderer } from './present.js';
import { whenTriggered } from './triggers.js';
import type { Beckon, BeckonOptions } from './types.js';
import { VERSION } from './version.js';

/** What differs between the npm build and the script-tag build, and what tests replace. */
export interface Platform {
  /** Loads the compiler, for authored catalogs only. */
  loadCompiler(): Promise<Compiler>;
  /** The clock, epoch milliseconds (default `Date.now`). */
  now?: () => number;
  /** More tracker options, e.g. `destinations` that see every event. */
  tracker?: TrackerOptions;
}

/** Starts Beckon in this page with the given platform; see `createBeckon`. Never throws. */
export function startBeckon(options: BeckonOptions, platform: Platform): Beckon {
  const log = createLog();
  try {
    if (typeof document === 'undefined') throw new Error('no browser here');
    return start(options, platform, log);
  } catch (error) {
    log('start', 'Beckon does nothing', error);
    const nothing = () => undefined;
    return { ready: Promise.resolve(), anonymousId: '', userId: undefined, page: nothing, screen: nothing, track: nothing, identify: nothing, reset: nothing, explain: () => [], flush: async () => {}, destroy: nothing };
  }
}

/** The tracker for `storage`; an unknown storage mode is said once, and the default used. */
function trackerFor(options: BeckonOptions, platform: Platform, log: Log): Tracker {
  const trackWith = (mode?: StorageMode) => createTracker({ ...platform.tracker, endpoint: options.endpoint, writeKey: options.writeKey, storage: mode, library: { name: '@beckon/web', version: VERSION } });
  try {
    return trackWith(options.storage);
  } catch (error) {
    log('options', 'using the default storage', error);
    return trackWith();
  }
}

function start(options: BeckonOptions, platform: Platform, log: Log): Beckon {
  const { storage, onMessage } = options;
  const render = options.render !== false;
  if (!render && !onMessage) log('options', 'render: false needs onMessage');
  if (render) defineElements();
  const engine = createEngine({
    catalog: loadCatalog(options, { fetch: (...args) => fetch(...args), loadCompiler: platform.loadCompiler, log }),
    tracker: trackerFor(options, platform, log),
    renderer: render ? elementRenderer(log) : headlessRenderer(onMessage, log),
    ledger: browserLedger(storage === 'session' ? 'sessionStorage' : storage === 'memory' ? undefined : 'localStorage'),
    now: platform.now ?? Date.now,
    random: Math.random,
    whenTriggered,
    limits: options.limits,
    debug: options.debug,
    log,
  });
  /** Aborted by `destroy`: page tracking goes with it. */
  const life = new AbortController();
  const trackPage = (name?: string, properties?: Record<string, unknown>) => engine.page(location.href, name, properties);
  if (options.trackPages !== false) {
    watchNavigation(life.signal, () => trackPage());
    trackPage();
  }
  return {
    ready: engine.ready,
    get anonymousId() {
      return engine.anonymousId;
    },
    get userId() {
      return engine.userId;
    },
    page: trackPage,
    screen: (name, properties) => engine.screen(name, properties, location.href),
    track: (event, properties) => engine.track(event, properties),
    identify: (userId, traits) => engine.identify(userId, traits),
    reset: () => engine.reset(),
    explain: (url, overrides) => {
      // A relative URL is one of this site's pages.
      const resolved = url === undefined ? undefined : absolute(url, log);
      return url !== undefined && resolved === undefined ? [] : engine.explain(resolved, overrides);
    },
    flush: () => engine.flush(),
    destroy: () => {
      life.abort();
      engine.destroy();
    },
  };
}

/** `url` resolved against this page's address, or undefined (logged) when it is not a URL. */
function absolute(url: string, log: Log): string | undefined {
  try {
    return new URL(url, location.href).href;
  } catch (error) {
    log(String(error), 'explain failed', error);
  }
}
