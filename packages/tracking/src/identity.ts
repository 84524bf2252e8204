// Who the visitor is: an anonymous id kept in first-party storage, and the user id once identified.
import { MAX_NAME_LENGTH } from './limits.js';
import type { SafeStore } from './storage.js';

/** The current visitor. */
export interface Identity {
  anonymousId: string;
  userId?: string;
}

const ANONYMOUS_KEY = 'beckon_anonymous_id';
const USER_KEY = 'beckon_user_id';

/** An id read back from storage is usable when it is a non-empty string of sane length. */
export const isId = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_NAME_LENGTH;

/**
 * Reads the identity from the stores, most authoritative first, and heals every store that lost or
 * disagrees with it. When no store holds an id, `fallback` (the identity in memory) or a new id is used.
 */
export function loadIdentity(stores: SafeStore[], fallback: Identity | undefined, newId: () => string): Identity {
  let identity: Identity | undefined;
  for (const store of stores) {
    const anonymousId = store.get(ANONYMOUS_KEY);
    if (!isId(anonymousId)) continue;
    const userId = store.get(USER_KEY);
    // The user id comes from the same store as the anonymous id, so the pair stays consistent.
    identity = isId(userId) ? { anonymousId, userId } : { anonymousId };
    break;
  }
  identity ??= fallback ?? { anonymousId: newId() };
  saveIdentity(stores, identity, true);
  return identity;
}

/** Writes the identity to every store (with `onlyChanged`, only to stores that differ). */
export function saveIdentity(stores: SafeStore[], identity: Identity, onlyChanged = false): void {
  for (const store of stores) {
    if (!onlyChanged || store.get(ANONYMOUS_KEY) !== identity.anonymousId) store.set(ANONYMOUS_KEY, identity.anonymousId);
    if (onlyChanged && store.get(USER_KEY) === identity.userId) continue;
    if (identity.userId) store.set(USER_KEY, identity.userId);
    else store.remove(USER_KEY);
  }
}
