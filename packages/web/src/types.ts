// The public shapes of @beckon/web: what `createBeckon` takes and what it gives back.
import type { Catalog, CompiledCatalog, CompiledMessage, LayoutType, Message, PendingTrigger, SkipReason } from '@beckon/rules/runtime';
import type { StorageMode } from '@beckon/tracking';

/** Limits across messages, applied to every decision. */
export interface BeckonLimits {
  /** At most this many modals on screen at a time (default 1). */
  maxModals?: number;
  /** Milliseconds that must pass between any two shows, across all messages (default 0: none). */
  minIntervalBetweenMessages?: number;
  /** Inactivity in milliseconds after which the next page view starts a new session (default 30 minutes). */
  sessionTimeout?: number;
}

/** Options of `createBeckon`. Give `catalog`, `catalogUrl` or `endpoint`; everything else is optional. */
export interface BeckonOptions {
  /**
   * The messages, inline: a compiled catalog (the server's `GET /v1/catalog`, or `beckon compile`), or an authored
   * catalog (`{ messages: [...] }` or an array of messages), which loads the compiler on demand.
   */
  catalog?: CompiledCatalog | Catalog | readonly Message[];
  /** Where to fetch the catalog (compiled or authored). Default: `${endpoint}/v1/catalog` when `endpoint` is given and `catalog` is not. */
  catalogUrl?: string;
  /** The Beckon server's base URL, e.g. `https://beckon.example.com`: events go to its `/v1/batch`. Without it, nothing is sent. */
  endpoint?: string;
  /** Identifies the site to the server (`x-beckon-write-key`). */
  writeKey?: string;
  /**
   * Where the anonymous id, the unsent events and the message history (the ledger) live: `'cookie+local'` (default),
   * `'local'`, `'session'` (per tab, no cookie) or `'memory'` (per page load, no cookie).
   */
  storage?: StorageMode;
  limits?: BeckonLimits;
  /** Log every decision and print `explain()` as a table in the console. */
  debug?: boolean;
  /** Draw messages with `<beckon-message>` (default true). `false`: headless, `onMessage` draws them. */
  render?: boolean;
  /** Headless mode (`render: false`): called for each message to show; see `MessageHandler`. Ignored when Beckon renders. */
  onMessage?: MessageHandler;
  /** Track page views by itself: the first one, then `pushState`, `replaceState`, `popstate` and `hashchange` (default true). */
  trackPages?: boolean;
  /** Script-tag build only: the URL of `beckon-compiler.min.js` for authored catalogs (default: next to `beckon.min.js`). */
  compilerUrl?: string;
}

/**
 * Draws one message in headless mode. Call `controls.shown()` once it is on screen, then `clicked` or `dismissed` as
 * the visitor acts. Return a function to take the message off screen: Beckon calls it when the message is withdrawn
 * without a dismissal (the visitor navigated away, identified, dismissed it in another tab, or `destroy()`).
 */
export type MessageHandler = (message: CompiledMessage, controls: MessageControls) => void | (() => void);

/** What a headless renderer reports; each records in the ledger and sends its event exactly as `<beckon-message>` does. */
export interface MessageControls {
  /** The message is on screen: records the show and sends `Message Shown`. Counts once; later calls do nothing. */
  shown(): void;
  /** An action was clicked: records it and sends `Message Clicked` (`url` as followed, if any). */
  clicked(actionId: string, url?: string): void;
  /** The visitor dismissed the message: records it and sends `Message Dismissed` with `via` (default `'api'`). */
  dismissed(via?: string): void;
}

/** Why a message would not show: a rule of `evaluate`, or `invalid` for an authored message the compiler refused. */
export type ExplainReason = SkipReason | 'invalid';

/** One message and whether it would show here, now, and why (not). */
export interface Explanation {
  /** The message id. */
  id: string;
  /** True when it would show (now, or once `trigger` fires). */
  show: boolean;
  /** Why not, when `show` is false. */
  reason?: ExplainReason;
  /** A sentence: `shown 3 of 3 times (maxShows)`, `shows now`, `shows after a delay of 5s`… */
  detail: string;
  /** What it waits for before showing (delay in ms, scroll depth, exit intent). */
  trigger?: PendingTrigger;
  /** Its layout (`modal`, `banner`, `popup`, `inline`); absent for an invalid message. */
  layout?: LayoutType;
}

/** What `explain` should assume instead of the visitor's current state. */
export interface ExplainOverrides {
  /** Pretend the visitor is (or is not) identified. */
  identified?: boolean;
  /** Explain a screen of an app instead of a page. */
  screen?: string;
  /** Explain the moment this tracked event happens. */
  event?: string;
}

/** A running Beckon; see `createBeckon`. No method throws: problems are logged once each and Beckon carries on. */
export interface Beckon {
  /** Resolves once the catalog is loaded (or failed to load) and the first page view was decided. Never rejects. */
  readonly ready: Promise<void>;
  /** The visitor's anonymous id. */
  readonly anonymousId: string;
  /** The user id once `identify` was called (here or in another tab). */
  readonly userId: string | undefined;
  /** Records a page view now and decides what to show. Needed only with `trackPages: false`. */
  page(name?: string, properties?: Record<string, unknown>): void;
  /** Records a view of an app screen and decides what to show for it (messages with `screens` rules). */
  screen(name: string, properties?: Record<string, unknown>): void;
  /** Records an event and shows the messages it triggers (`trigger.event`). */
  track(event: string, properties?: Record<string, unknown>): void;
  /** The visitor signed up or logged in: sends `identify`, closes anonymous-only messages, keeps their message history. */
  identify(userId: string, traits?: Record<string, unknown>): void;
  /** Forgets the visitor (logout): a new anonymous id and a fresh message history. */
  reset(): void;
  /** Every message with whether it would show on `url` (default: this page) and why (not); a table in the console when `debug` is on. */
  explain(url?: string, overrides?: ExplainOverrides): Explanation[];
  /** Sends the events waiting to be sent now. */
  flush(): Promise<void>;
  /** Closes every message quietly, stops triggers, page tracking and listeners, and puts `history.pushState`/`replaceState` back. */
  destroy(): void;
}

/** What `window.beckon` is in the script-tag build (`beckon.min.js`). */
export interface BeckonGlobal {
  createBeckon(options: BeckonOptions): Beckon;
  /** The instance started from the script tag's `data-*` attributes, if it had any. */
  instance?: Beckon;
  version: string;
}
