// The browser shell: what only a browser needs, around the engine. Page and SPA tracking, storage (cookies,
// `localStorage`, Web Locks, the `storage` event), scroll, exit-intent and delay triggers, and `<beckon-message>`.
import { createEngine, createLog, headlessRenderer, loadCatalog, type Compiler, type Log } from '@beckon/engine';
import { cookieStore, createTracker, forgetStores, webStore, type Consent, type StorageMode, type Tracker, type TrackerOptions } from '@beckon/tracking';
import { browserLedger } from './ledger-storage.js';
import { watchNavigation } from './page-tracking.js';
import type { Elements } from './elements.js';
import { elementRenderer } from './present.js';
import { splitRenderer } from './split-renderer.js';
import { whenTriggered } from './triggers.js';
import type { Beckon, BeckonOptions } from './types.js';
import { VERSION } from './version.js';

/** What differs between the npm build and the script-tag build, and what tests replace. */
export interface Platform {
  /** Loads the compiler, for authored catalogs only. */
  loadCompiler(): Promise<Compiler>;
  /** Loads the renderer (Lit and `<beckon-message>`), once a page view has a message that will or may show. */
  loadElements(): Promise<Elements>;
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
    return { ready: Promise.resolve(), anonymousId: '', userId: undefined, page: nothing, screen: nothing, track: nothing, identify: nothing, reset: nothing, explain: () => [], consent: () => 'pending', flush: async () => {}, destroy: nothing };
  }
}

/** Consent at start: the site's (default granted), except that a browser sending Global Privacy Control denies it. */
function consentAtStart(options: BeckonOptions): Consent | undefined {
  return options.respectGlobalPrivacyControl !== false && (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl === true ? 'denied' : options.consent;
}

/** The tracker for `storage`; an unknown storage mode is said once, and the default used. */
function trackerFor(options: BeckonOptions, platform: Platform, log: Log): Tracker {
  const { endpoint, writeKey, privateParams, keepParams } = options;
  const trackWith = (storage?: StorageMode) =>
    createTracker({ ...platform.tracker, endpoint, writeKey, storage, consent: consentAtStart(options), privateParams, keepParams, library: { name: '@beckon/web', version: VERSION } });
  try {
    return trackWith(options.storage);
  } catch (error) {
    log('options', 'using the default storage', error);
    return trackWith();
  }
}

function start(options: BeckonOptions, platform: Platform, log: Log): Beckon {
  const { storage, onMessage, render = true } = options;
  if (render !== true && !onMessage) log('options', 'render: false (or a list of layouts) needs onMessage');
  const headless = headlessRenderer(onMessage, log);
  const drawn = elementRenderer(platform.loadElements, log);
  const engine: Beckon = createEngine({
    catalog: loadCatalog(options, { fetch: (...args) => fetch(...args), loadCompiler: platform.loadCompiler, log }),
    tracker: trackerFor(options, platform, log),
    // Headless mode draws with the host's own code: the renderer is never loaded. A list of layouts splits the work.
    renderer: render === true ? drawn : render ? splitRenderer(render, drawn, headless) : headless,
    ledger: browserLedger(storage === 'session' ? 'sessionStorage' : storage === 'memory' ? undefined : 'localStorage'),
    url: () => location.href,
    now: platform.now ?? Date.now,
    random: Math.random,
    whenTriggered,
    // Denied: Beckon's cookies and keys go from every storage area, whichever storage mode wrote them.
    forget: () => forgetStores([cookieStore(), webStore('localStorage'), webStore('sessionStorage')]),
    limits: options.limits,
    debug: options.debug,
    log,
  });
  if (options.trackPages !== false) {
    // Stopped with the engine: `destroy` below puts the history methods back.
    const life = new AbortController();
    watchNavigation(life.signal, () => engine.page());
    const destroy = engine.destroy;
    engine.destroy = () => (life.abort(), destroy());
    engine.page();
  }
  // The engine is the Beckon: its methods are the public API.
  return engine;
}
