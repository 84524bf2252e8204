// The React context every hook reads: the provider's stable facade and the instance it runs, once started.
import { createContext } from 'react';
import type { BeckonClient, ConnectedApi } from './api.js';

/** What a provider gives its tree. */
export interface BeckonContextValue {
  api: ConnectedApi;
  /** The running instance; undefined on the server and until the provider's first effect ran. */
  client: BeckonClient | undefined;
}

export const BeckonContext = createContext<BeckonContextValue | null>(null);
BeckonContext.displayName = 'Beckon';
