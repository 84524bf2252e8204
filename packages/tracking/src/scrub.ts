// Tracked URLs without the query parameters that commonly carry personal data: a sign-up link's `?email=`, a reset
// link's `?token=` must not reach the collector. Page rules, in the browser, still see the whole URL.

/**
 * Query parameter names that commonly carry personal data or secrets, matched case-insensitively: anywhere in the
 * name (`user_email`, `access_token`, `password`), at its end (`api_key`, `first_name`), or the whole name (`code`).
 */
export const PRIVATE_PARAMS = /mail|token|pass|pwd|secret|phone|mobile|tel$|address|birth|card|ssn|iban|key$|name$|zip|postcode|^(code|auth|user|login|sig|sid|session|pin|otp)$/i;

/** Which query parameters leave: those neither in `PRIVATE_PARAMS` nor in `more`, unless `keepOthers` is false (then none). */
export const paramFilter =
  (more: readonly string[] = [], keepOthers = true) =>
  (name: string): boolean =>
    keepOthers && !PRIVATE_PARAMS.test(name) && !more.includes(name);

/**
 * `url` (absolute, relative, or a bare `?query`) with only the query parameters `keep` accepts. A `?` inside the
 * query starts a parameter too, so one nested in another's value (`?next=/a?email=…`) goes as well. The fragment is
 * kept as it is.
 */
export function scrubUrl(url: string, keep: (name: string) => boolean): string {
  return url.replace(/\?[^#]*/, (query) => query.replace(/[?&]([^=&?]*)[^&?]*/g, (pair, name: string) => (keep(name) ? pair : '')).replace(/^&/, '?'));
}

/** A copy of `bag` (an event's `context.page` or `properties`) whose `url`, `referrer` and `search` are scrubbed. */
export function scrubFields<T extends object>(bag: T, keep: (name: string) => boolean): T {
  const copy = { ...bag } as Record<string, unknown>;
  for (const key of ['url', 'referrer', 'search']) if (typeof copy[key] === 'string') copy[key] = scrubUrl(copy[key], keep);
  return copy as T;
}
