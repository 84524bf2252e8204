// The hooks: Beckon's API, the headless messages to draw, and app screens.
import { useContext, useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import type { LayoutType } from '@beckon/rules/runtime';
import type { BeckonApi } from './api.js';
import { BeckonContext, type BeckonContextValue } from './context.js';
import type { HeadlessMessage, MessageFeed } from './feed.js';

const NONE: readonly HeadlessMessage[] = [];
const nothing = () => () => undefined;
const none = () => NONE;

function useBeckonContext(hook: string): BeckonContextValue {
  const value = useContext(BeckonContext);
  if (!value) throw new Error(`${hook} needs a <BeckonProvider> above it`);
  return value;
}

/**
 * Beckon's API in a component: `identify`, `track`, `reset`, `screen`, `explain`… The same object on every render.
 * Calls made before the provider has started Beckon wait for it, in order.
 */
export function useBeckon(): BeckonApi {
  return useBeckonContext('useBeckon()').api;
}

/** Options of `useMessages`. */
export interface UseMessagesOptions {
  /** Only messages of this layout (or these layouts); default: every layout that Beckon hands to the app. */
  layout?: LayoutType | readonly LayoutType[];
}

/** The headless messages of `feed` (none without one), re-rendering when they change; nothing on the server. */
export function useFeed(feed: MessageFeed | undefined): readonly HeadlessMessage[] {
  return useSyncExternalStore(feed?.subscribe ?? nothing, feed?.current ?? none, none);
}

/**
 * The messages to draw now with your own components (headless rendering), best first, each with its controls:
 * `shown()` once it is on screen, `action(id)`, `dismiss(via)`. Beckon hands over the messages of the layouts its
 * `render` option leaves to the app (`render: false`: all of them). Empty on the server and before Beckon starts.
 */
export function useMessages({ layout }: UseMessagesOptions = {}): readonly HeadlessMessage[] {
  const all = useFeed(useBeckonContext('useMessages()').client?.messages);
  const key = layout === undefined ? '' : String(layout);
  return useMemo(() => (key ? all.filter((m) => key.split(',').includes(m.layout.type)) : all), [all, key]);
}

/**
 * Reports a view of the app screen `name` when the component mounts and whenever `name` changes (messages with
 * `screens` rules show there). Once per mount: StrictMode's second run of effects does not count twice.
 */
export function useScreen(name: string | undefined, properties?: Record<string, unknown>): void {
  const api = useBeckon();
  const reported = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!name || reported.current === name) return;
    reported.current = name;
    // The properties of the render that named this screen.
    api.screen(name, properties);
  }, [api, name]);
}
