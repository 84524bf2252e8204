// Which URLs a message may send a visitor to. Shared with @beckon/web so both follow one rule.

/** Schemes a message may link to; relative URLs resolve to the page's own scheme and count as safe. */
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:', 'tel:']);

/**
 * Whether a URL from message content may be followed: `http:`, `https:`, `mailto:`, `tel:` or a
 * relative URL. `javascript:`, `data:`, `blob:` and every other scheme are refused, however they
 * are disguised (case, leading spaces, tabs or newlines inside the scheme), because the URL is
 * parsed the way the browser will parse it.
 */
export function isSafeUrl(url: unknown): url is string {
  if (typeof url !== 'string' || !url.trim()) return false;
  try {
    // The base only resolves relative URLs; it is never fetched.
    return SAFE_PROTOCOLS.has(new URL(url, 'https://relative.invalid/').protocol);
  } catch {
    return false;
  }
}
