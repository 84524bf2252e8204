/** How retries of one destination are spaced. */
export interface BackoffOptions {
  /** The first retry's delay (ms). */
  minMs: number;
  /** The longest delay (ms), however many attempts failed. */
  maxMs: number;
}

/**
 * The delay before retry number `attempt` (1 for the first): doubling from `minMs` up to `maxMs`, then
 * between half and all of it by `random` (0 ≤ random < 1), so processes that failed together do not
 * retry together. Pure: the randomness comes in.
 */
export function retryDelay(attempt: number, random: number, { minMs, maxMs }: BackoffOptions): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(Math.max(attempt - 1, 0), 52));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
