// The public shapes of @beckon/engine: what a host passes in (the clock, storage, a renderer, where the visitor is)
// and what it gets back. Nothing here knows of a DOM.
import type { CompiledCatalog, CompiledMessage, LayoutType, PendingTrigger, SkipReason } from '@beckon/rules/runtime';
import type { Consent, KeyValueStore, Tracker } from '@beckon/tracking';
import type { Log } from './log.js';

/** Limits across messages, applied to every decision. */
export interface BeckonLimits {
  /** At most this many modals on screen at a time (default 1). */
  maxModals?: number;
  /** Milliseconds that must pass between any two shows, across all messages (default 0: none). */
  minIntervalBetweenMessages?: number;
  /** Inactivity in milliseconds after which the next page view starts a new session (default 30 minutes). */
  sessionTimeout?: number;
}

/**
 * Draws one message in headless mode. Call `controls.shown()` once it is on screen, then `clicked` or `dismissed` as
 * the visitor acts. Return a function to take the message off screen: Beckon calls it when the message is withdrawn
 * without a dismissal (the visitor navigated away, identified, dismissed it in another tab, or `destroy()`).
 */
export type MessageHandler = (message: CompiledMessage, controls: MessageControls) => void | (() => void);

/** What a renderer reports; each records in the ledger and sends its event exactly as `<beckon-message>` does. */
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

/** A catalog ready for the engine: compiled messages, and one `invalid` explanation per authored message left out. */
export interface LoadedCatalog {
  compiled: CompiledCatalog;
  invalid: Explanation[];
  /** The first problem as a sentence, for the console; absent when every message is valid. */
  problem?: string;
}

/** A message on screen, as a renderer hands it back. */
export interface Presented {
  /** Takes the message away quietly: not a dismissal. */
  close(): void;
  /** False once the message is gone: closed, dismissed, removed with its slot, or failed to render. */
  alive(): boolean;
}

/**
 * How a host puts messages on screen. `Target` is where a message goes once ready (an inline slot in a page), if the
 * renderer needs one. Every method may throw: the engine logs it and carries on.
 */
export interface Renderer<Target = unknown> {
  /**
   * The first decision of a view found messages that will or may show (some wait for a trigger): a chance to get
   * ready before one does, e.g. to load the code that draws them. Called at most once per view.
   */
  prepare?(messages: readonly CompiledMessage[]): void;
  /**
   * True when a show of `message` counts once the renderer reports it seen (`controls.shown()`: an inline card far
   * down the page, a headless host's own timing); false when it counts as it goes on screen (overlays).
   */
  countsWhenSeen(message: CompiledMessage): boolean;
  /** Calls `then` once `message` can go on screen (with where, if it needs a place), unless `signal` aborts first. */
  whenReady(message: CompiledMessage, signal: AbortSignal, then: (target?: Target) => void): void;
  /** Puts `message` on screen; `controls` hear what the visitor does with it. */
  present(message: CompiledMessage, controls: MessageControls, target?: Target): Presented;
}

/**
 * Waits for a message's trigger in the current view (a delay, a scroll depth, exit intent), then calls `fire` once;
 * aborting `signal` (the view ended) cancels the wait.
 */
export type TriggerWaiter = (trigger: PendingTrigger, signal: AbortSignal, fire: () => void) => void;

/** Where the visitor's message history (the ledger) is kept, and how it is shared with other tabs or processes. */
export interface LedgerStorage {
  /** The store; absent: the ledger lives in memory only. Failures of it leave the ledger in memory, never throw. */
  store?: KeyValueStore;
  /** Runs `task` holding a lock shared by everyone writing `store` (Web Locks in browsers); absent: no lock. */
  lock?<T>(task: () => T): Promise<T>;
  /**
   * Calls `changed` after someone else wrote the ledger's key in `store`, and `leaving` when the host is about to go
   * away (the ledger is then saved at once), until `signal` aborts.
   */
  watch?(signal: AbortSignal, events: { changed(): void; leaving(): void }): void;
}

/** Options of `createEngine`: everything the engine needs from its host. */
export interface EngineOptions {
  /** The catalog, or a promise of it (undefined: none could be loaded, and nothing shows); see `loadCatalog`. */
  catalog: LoadedCatalog | undefined | Promise<LoadedCatalog | undefined>;
  /** Identity and events: `createTracker` from `@beckon/tracking`, with the host's storage and delivery. */
  tracker: Tracker;
  /** How messages are put on screen; `headlessRenderer(onMessage)` hands them to the host's own code. */
  renderer: Renderer;
  /** The clock, epoch milliseconds. */
  now: () => number;
  /** Random numbers in [0, 1): they tell this instance's records from another's written in the same millisecond. */
  random: () => number;
  /** Where the visitor is: the current page's URL (`location.href` in browsers); absent in apps, which name screens. */
  url?: () => string | undefined;
  /** Where the message history lives (default: memory only); used only while the tracker's consent is granted. */
  ledger?: LedgerStorage;
  /**
   * Removes what Beckon keeps in the host when consent is denied (at start, or later). Default: Beckon's keys in the
   * ledger's store (the tracker clears its own stores); the browser shell also clears every cookie and storage area.
   */
  forget?: () => void;
  /** Waits for delays, scroll depth and exit intent (default `delayTrigger`: delays only; the rest never happen). */
  whenTriggered?: TriggerWaiter;
  limits?: BeckonLimits;
  /** Log every decision and print `explain()` as a table on the console. */
  debug?: boolean;
  /** Where problems go, once per kind (default `createLog()`: `console.warn`). */
  log?: Log;
}

/** Where the visitor is: a page's URL (absolute, or a path), an app's screen name, or both. */
export interface Place {
  url?: string;
  screen?: string;
}

/** A running engine; see `createEngine`. No method throws: problems are logged once each and it carries on. */
export interface Engine {
  /** Resolves once the catalog is loaded (or failed to load) and the current view was decided. Never rejects. */
  readonly ready: Promise<void>;
  /** The visitor's anonymous id. */
  readonly anonymousId: string;
  /** The user id once identified (here, or wherever the tracker's storage is shared). */
  readonly userId: string | undefined;
  /** Records a page view where the visitor is now (the host's `url`) and decides what to show there. */
  page(name?: string, properties?: Record<string, unknown>): void;
  /** Records a view of an app screen and decides what to show for it (messages with `screens` rules). */
  screen(name: string, properties?: Record<string, unknown>): void;
  /** Records an event and shows the messages it triggers (`trigger.event`). */
  track(event: string, properties?: Record<string, unknown>): void;
  /** The visitor signed up or logged in: sends `identify`, closes anonymous-only messages, keeps their history. */
  identify(userId: string, traits?: Record<string, unknown>): void;
  /** Forgets the visitor (logout): a new anonymous id and a fresh message history. */
  reset(): void;
  /** Every message with whether it would show at `url` (default: where the visitor is; relative to it) and why (not). */
  explain(url?: string, overrides?: ExplainOverrides): Explanation[];
  /**
   * Consent now, or changed to `state` (returned): the tracker's (see `Tracker.consent`), which the ledger follows.
   * Granted: the ledger kept in memory moves to storage, merged with what is there. Denied: `forget` runs, and the
   * engine goes on in memory; messages still show.
   */
  consent(state?: Consent): Consent;
  /** Sends the events waiting to be sent now. */
  flush(): Promise<void>;
  /** Closes every message quietly, cancels triggers and stops listening; the tracker is flushed and closed. */
  destroy(): void;
}
