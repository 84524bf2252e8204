// When to try again after a failed delivery. Pure: randomness comes in as a number in [0, 1).

/** Options of `backoff`. */
export interface BackoffOptions {
  /** 1 for the first retry, 2 for the second, ... */
  attempt: number;
  /** Delay before the first retry, in ms (1000). */
  minTimeout?: number;
  /** Growth per attempt (2). */
  factor?: number;
  /** Longest delay, in ms (60000). */
  maxTimeout?: number;
  /** A random number in [0, 1); spreads retries of many visitors apart. */
  random: number;
}

/**
 * Jittered exponential backoff: the delay doubles per attempt up to `maxTimeout`, and a random half of
 * it is dropped so visitors who failed together do not retry together.
 */
export function backoff({ attempt, minTimeout = 1000, factor = 2, maxTimeout = 60_000, random }: BackoffOptions): number {
  const ceiling = Math.min(maxTimeout, minTimeout * factor ** Math.max(0, attempt - 1));
  return Math.round((ceiling * (1 + random)) / 2);
}

/** Longest `Retry-After` honoured, so a bad header cannot park delivery for days. */
export const MAX_RETRY_AFTER = 600_000; // 10 minutes

/**
 * The wait a `Retry-After` header asks for, in ms: delta-seconds or an HTTP date (relative to `now`),
 * clamped to [0, MAX_RETRY_AFTER]; undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | null | undefined, now: number): number | undefined {
  if (!header) return undefined;
  // Number() reads delta-seconds (spaces around them too) and gives NaN for a date.
  const seconds = Number(header);
  const ms = isNaN(seconds) ? Date.parse(header) - now : seconds * 1000;
  return isNaN(ms) ? undefined : Math.min(MAX_RETRY_AFTER, Math.max(0, ms));
}
