// <BeckonProvider>: starts Beckon once for its tree, in an effect (never on the server), and stops it on unmount.
// StrictMode's second mount and fast refresh unmount and mount again at once: the running instance is kept for the
// remount (parked until the microtask after), so there is never a second page view, show or set of listeners.
import { createElement, useEffect, useMemo, useState, type ReactNode } from 'react';
import { createApi, type BeckonClient } from './api.js';
import { BeckonContext } from './context.js';

/** Props of `<BeckonProvider>`: `options` to start Beckon here, or a `client` started elsewhere. */
export interface BeckonProviderProps<Options> {
  /** Starts Beckon with these options when the provider mounts (read once; remount the provider to change them). */
  options?: Options;
  /** An instance you started yourself; the provider neither starts nor destroys it. */
  client?: BeckonClient;
  children?: ReactNode;
}

/** Instances whose provider just unmounted, by their options: a provider that mounts in the same task takes one back. */
const parked = new Map<string, BeckonClient>();

/** Options as a key: two providers with equal options (functions aside) may hand one instance over. */
const keyOf = (options: unknown) => JSON.stringify(options ?? {});

/** Takes a parked instance back, or starts one. */
function startOrResume<Options>(options: Options, start: (options: Options) => BeckonClient): BeckonClient {
  const key = keyOf(options);
  const resumed = parked.get(key);
  parked.delete(key);
  return resumed ?? start(options);
}

/** Parks `client`; it is destroyed after the current task's microtasks unless a provider takes it back first. */
function park(options: unknown, client: BeckonClient): void {
  const key = keyOf(options);
  parked.get(key)?.destroy();
  parked.set(key, client);
  queueMicrotask(() => {
    if (parked.get(key) !== client) return;
    parked.delete(key);
    client.destroy();
  });
}

/** Makes a `<BeckonProvider>` that starts instances with `start` (the browser's or React Native's). */
export function createProvider<Options>(start: (options: Options) => BeckonClient) {
  function BeckonProvider({ options, client, children }: BeckonProviderProps<Options>) {
    // One facade per provider: what useBeckon() returns, stable across renders and restarts.
    const [api] = useState(createApi);
    const [running, setRunning] = useState(client);
    useEffect(() => {
      if (client) {
        api.attach(client);
        setRunning(client);
        return () => api.detach(client);
      }
      if (options === undefined) throw new Error('<BeckonProvider> needs options or client');
      const started = startOrResume(options, start);
      api.attach(started);
      setRunning(started);
      return () => {
        api.detach(started);
        park(options, started);
      };
      // Options are read once (an inline object is new on every render); a new client is a new instance.
    }, [api, client]);
    const value = useMemo(() => ({ api, client: running }), [api, running]);
    return createElement(BeckonContext.Provider, { value }, children);
  }
  return BeckonProvider;
}
