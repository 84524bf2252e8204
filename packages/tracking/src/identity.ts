// Who the visitor is: an anonymous id kept in first-party storage, and the user id once identified.
import { MAX_NAME_LENGTH } from './limits.js';
import type { SafeStore } from './storage.js';

/** The current visitor. */
export interface Identity {
  anonymousId: string;
  userId?: string;
}

export const ANONYMOUS_KEY = 'beckon_anonymous_id';
export const USER_KEY = 'beckon_user_id';

/** An id read back from storage is usable when it is a non-empty string of sane length. */
export const isId = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_NAME_LENGTH;

/**
 * Reads the identity from the stores, most authoritative first, and heals every store that lost or
 * disagrees with it. When no store holds an id, `fallback` (the identity in memory) or a new id is used.
 */
export function loadIdentity(stores: SafeStore[], newId: () => string, fallback?: Identity): Identity {
  // Each store is read once (a cookie read is a round trip to the browser's cookie jar).
  const found = stores.map((store) => [store.get(ANONYMOUS_KEY), store.get(USER_KEY)] as const);
  // The user id goes with its anonymous id: any store holding that pair gives it. Identify never drops a user id
  // without a new anonymous id, so a store behind another tab's identify (a cookie jar not yet updated) keeps none.
  const anonymousId = found.find(([id]) => isId(id))?.[0];
  const userId = found.find(([id, user]) => id === anonymousId && isId(user))?.[1];
  const identity: Identity = anonymousId ? { anonymousId, userId } : (fallback ?? { anonymousId: newId() });
  // Heal: written again everywhere when a store lost or disagrees with it (rewriting an equal value changes nothing).
  if (found.some(([id, user]) => id !== identity.anonymousId || user !== identity.userId)) saveIdentity(stores, identity);
  return identity;
}

/** Writes the identity to every store. */
export function saveIdentity(stores: SafeStore[], identity: Identity): void {
  for (const store of stores) {
    store.set(ANONYMOUS_KEY, identity.anonymousId);
    if (identity.userId) store.set(USER_KEY, identity.userId);
    else store.remove(USER_KEY);
  }
}
