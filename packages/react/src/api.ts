// What `useBeckon()` returns: one stable object per provider. Calls made before Beckon has started (a child's effect
// runs before its provider's, and the provider starts Beckon in an effect) wait, in order, and then run.
import type { Engine, ExplainOverrides, Explanation } from '@beckon/engine';
import type { Consent } from '@beckon/tracking';
import type { MessageFeed } from './feed.js';

/** A running Beckon for React: `createBeckonClient` (web) or `createNativeBeckon` (React Native). */
export interface BeckonClient extends Engine {
  /** The messages the app's own components draw (headless rendering); absent on an instance made without one. */
  readonly messages?: MessageFeed;
}

/** Beckon inside React components; see `useBeckon`. No method throws. */
export interface BeckonApi {
  /** The running instance once the provider has started it (after the first effects); undefined before, and on the server. */
  readonly client: BeckonClient | undefined;
  /** The visitor's anonymous id; `''` until Beckon has started. */
  readonly anonymousId: string;
  /** The user id once identified. */
  readonly userId: string | undefined;
  /** The visitor signed up or logged in: sends `identify`, closes anonymous-only messages, keeps their history. */
  identify(userId: string, traits?: Record<string, unknown>): void;
  /** Records an event and shows the messages it triggers (`trigger.event`). */
  track(event: string, properties?: Record<string, unknown>): void;
  /** Forgets the visitor (logout): a new anonymous id and a fresh message history. */
  reset(): void;
  /** Records a view of an app screen and decides for it (messages with `screens` rules); see `useScreen`. */
  screen(name: string, properties?: Record<string, unknown>): void;
  /** Records a page view (only needed with `trackPages: false`, or in an app that has pages and no URL). */
  page(name?: string, properties?: Record<string, unknown>): void;
  /**
   * Consent now, or changed to `state` (a consent banner calls it): `'granted'`, `'pending'` (nothing stored or sent
   * yet) or `'denied'` (Beckon's keys removed, nothing sent); messages show in every state. Before Beckon has started,
   * a change waits for it (and is returned), and asking returns undefined.
   */
  consent(state?: Consent): Consent | undefined;
  /** Every message with whether it would show at `url` and why (not); `[]` until the catalog has loaded. */
  explain(url?: string, overrides?: ExplainOverrides): Explanation[];
  /** Sends the events waiting to be sent now. */
  flush(): Promise<void>;
}

/** The facade and how the provider connects it to the instance it started. */
export interface ConnectedApi extends BeckonApi {
  /** Connects `client`, then runs the calls that waited for it. */
  attach(client: BeckonClient): void;
  /** Disconnects `client` (if it is the one connected): later calls wait for the next. */
  detach(client: BeckonClient): void;
}

/** The calls that wait for the instance when made before it started. */
const WAITING = ['identify', 'track', 'reset', 'screen', 'page'] as const;

type Call = (client: BeckonClient) => void;

/** A facade with no instance yet. */
export function createApi(): ConnectedApi {
  let current: BeckonClient | undefined;
  let waiting: Call[] = [];
  const api: Omit<ConnectedApi, (typeof WAITING)[number]> = {
    get client() {
      return current;
    },
    get anonymousId() {
      return current?.anonymousId ?? '';
    },
    get userId() {
      return current?.userId;
    },
    consent(state) {
      if (current) return current.consent(state);
      if (state) waiting.push((client) => client.consent(state));
      return state;
    },
    explain: (url, overrides) => current?.explain(url, overrides) ?? [],
    flush: () => current?.flush() ?? Promise.resolve(),
    attach(client) {
      current = client;
      const calls = waiting;
      waiting = [];
      for (const call of calls) call(client);
    },
    detach(client) {
      if (current === client) current = undefined;
    },
  };
  for (const name of WAITING) {
    // Runs on the instance, or once there is one.
    const call = (...args: unknown[]) => {
      const run: Call = (client) => (client[name] as (...args: unknown[]) => void)(...args);
      if (current) run(current);
      else waiting.push(run);
    };
    Object.assign(api, { [name]: call });
  }
  return api as ConnectedApi;
}
