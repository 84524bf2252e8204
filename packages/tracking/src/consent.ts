// Consent: whether Beckon may keep anything in the visitor's storage and send anything. The tracker and the engine
// follow one state; storage they may not use acts as storage that holds nothing, so both simply keep what they know
// in memory, as they already do when storage fails.
import { ANONYMOUS_KEY, USER_KEY } from './identity.js';
import { safeStore, type KeyValueStore } from './storage.js';

/**
 * `'granted'`: ids, history and unsent events in storage, events sent. `'pending'`: nothing stored and nothing sent;
 * events wait in memory. `'denied'`: Beckon's keys removed, events dropped; it runs in memory, sending nothing.
 */
export type Consent = 'granted' | 'pending' | 'denied';

/** Beckon's keys in a store: the ids, the ledger and the delivery queue (`beckon_…`, `beckon:queue:…`). */
const OURS = /^beckon[_:]/;

/** Removes Beckon's keys from each store; from a store that cannot list its keys (cookies), the two ids. */
export function forgetStores(stores: ReadonlyArray<KeyValueStore | undefined>): void {
  for (const store of stores.map(safeStore)) for (const key of [ANONYMOUS_KEY, USER_KEY, ...store.keys()]) if (OURS.test(key)) store.remove(key);
}
