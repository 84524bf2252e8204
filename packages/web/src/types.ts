// The public shapes of @beckon/web: what `createBeckon` takes and what it gives back. Those the engine shares with
// every host are its own, re-exported here.
import type { BeckonLimits, Engine, ExplainOverrides, Explanation, MessageHandler } from '@beckon/engine';
import type { Catalog, CompiledCatalog, LayoutType, Message } from '@beckon/rules/runtime';
import type { Consent, StorageMode } from '@beckon/tracking';

export type { Consent } from '@beckon/tracking';
export type { BeckonLimits, ExplainOverrides, ExplainReason, Explanation, MessageControls, MessageHandler } from '@beckon/engine';

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
  /**
   * May Beckon store and send? `'granted'` (default), `'pending'` (nothing stored or sent; events wait in memory until
   * `consent('granted')`) or `'denied'` (Beckon's cookies and keys removed, nothing sent). Messages show in every state.
   */
  consent?: Consent;
  /** A browser that sends Global Privacy Control (`navigator.globalPrivacyControl`) starts denied (default true). */
  respectGlobalPrivacyControl?: boolean;
  /** More query parameters removed from every tracked URL, besides those that commonly carry personal data. */
  privateParams?: string[];
  /** Keep the other query parameters in tracked URLs (default true); `false` removes them all. */
  keepParams?: boolean;
  limits?: BeckonLimits;
  /** Log every decision and print `explain()` as a table in the console. */
  debug?: boolean;
  /**
   * Which messages `<beckon-message>` draws: all (`true`, the default), none (`false`: headless, `onMessage` draws
   * them), or those of the listed layouts (e.g. `['inline']`), `onMessage` drawing the others.
   */
  render?: boolean | readonly LayoutType[];
  /** Headless mode: called for each message `<beckon-message>` does not draw (see `render` and `MessageHandler`). */
  onMessage?: MessageHandler;
  /** Track page views by itself: the first one, then `pushState`, `replaceState`, `popstate` and `hashchange` (default true). */
  trackPages?: boolean;
  /** Script-tag build only: the URL of `beckon-compiler.min.js` for authored catalogs (default: next to `beckon.min.js`). */
  compilerUrl?: string;
  /**
   * Script-tag build only: the URL of `beckon-elements.min.js`, the renderer, loaded when a message will or may show
   * (default: next to `beckon.min.js`).
   */
  elementsUrl?: string;
}

/**
 * A running Beckon; see `createBeckon`. It is the engine's API (`Engine` of `@beckon/engine`) for this page: no method
 * throws, problems are logged once each and Beckon carries on.
 */
export interface Beckon extends Engine {
  /** Records a page view of this page now and decides what to show. Needed only with `trackPages: false`. */
  page(name?: string, properties?: Record<string, unknown>): void;
  /** Every message with whether it would show on `url` (default: this page) and why (not); a table in the console when `debug` is on. */
  explain(url?: string, overrides?: ExplainOverrides): Explanation[];
  /**
   * Consent now, or changed to `state` (a consent banner calls it). `'granted'`: the anonymous id, the message history
   * and the waiting events move to `storage`, and the events are sent, in order, once each. `'denied'`: waiting events
   * are dropped, Beckon's cookies and storage keys removed; it goes on in memory, sending nothing. Granting after Global
   * Privacy Control denied is the site's explicit choice (ask first).
   */
  consent(state?: Consent): Consent;
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
