// Variant assignment: weighted rendezvous hashing over (visitor id, message id, variant id).
import { unitHash } from './holdout.js';

/** What assignment reads of a variant. */
export interface WeightedVariant {
  id: string;
  weight: number;
}

/**
 * The variant a visitor sees of a message: the same for the same ids and weights, wherever it runs. Each variant
 * draws a stable score `-ln(u) / weight` from a hash `u` of (visitor, message, variant) and the lowest wins, so a
 * variant wins with a chance of weight / sum of weights, independently of the holdout's hash. Changing one weight
 * moves only the visitors it must: a raised weight only draws visitors to its variant, a lowered one only sends
 * its own visitors elsewhere; adding a variant only draws visitors to it. Undefined when no weight is above 0.
 * Pass the anonymous id, also after identify, so the assignment survives it.
 */
export function assignVariant<V extends WeightedVariant>(messageId: string, visitorId: string, variants: readonly V[]): V | undefined {
  let best: V | undefined;
  let bestScore = Infinity;
  for (const variant of variants) {
    // 1 - u lies in (0, 1], so the logarithm is finite. A weight of 0 scores Infinity, or NaN: it never wins.
    const score = -Math.log(1 - unitHash(`${visitorId}\u0000${messageId}\u0000${variant.id}`)) / variant.weight;
    if (score < bestScore) {
      best = variant;
      bestScore = score;
    }
  }
  return best;
}
