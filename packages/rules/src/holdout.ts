// Holdout groups: a stable, well-mixed hash of (visitor id, message id), so a visitor's group never changes.

/**
 * Where a visitor falls for a message, uniformly in [0, 1): the visitor is in the control group of a message
 * with `holdout: h` exactly when this is below `h`. FNV-1a over both ids, finished with MurmurHash3's mixer.
 */
export function holdoutBucket(visitorId: string, messageId: string): number {
  return unitHash(`${visitorId}\u0000${messageId}`);
}

/** A well-mixed hash of `text` in [0, 1): FNV-1a, finished with MurmurHash3's mixer (every bit moves every bit). */
export function unitHash(text: string): number {
  let hash = fnv1a(0x811c9dc5, text);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 4294967296;
}

/** FNV-1a over the UTF-16 code units of `text`, continuing from `hash`. */
export function fnv1a(hash: number, text: string): number {
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash;
}
