// Random events for the metrics property: few people and messages, so that shows, goals, links and ties collide often.
import type { BeckonEvent, MetricsGoal, MetricsVariant } from '@beckon/tracking';
import fc from 'fast-check';

export const T0 = Date.parse('2026-01-01T00:00:00Z');
export const HOUR = 3_600_000;

const anonymousId = fc.constantFrom('a1', 'a2', 'a3', 'a4', 'a5', 'u1');
const userId = fc.constantFrom('u1', 'u2', 'u3');
const messageId = fc.constantFrom('coupon', 'banner', 'Zeta', 'émoji-😀', 'z', '');
const time = fc.integer({ min: 0, max: 24 }).map((h) => T0 + h * HOUR);
const timestamp = fc.oneof(
  { weight: 8, arbitrary: time.map((t) => new Date(t).toISOString()) },
  { weight: 1, arbitrary: time.map((t) => new Date(t + 5.5 * HOUR).toISOString().replace('Z', '+05:30')) },
);
const variantId = fc.constantFrom<unknown>('a', 'b', 'b', 'c', 'Zz', '', 7);
const trackName = fc.constantFrom('Message Shown', 'Message Shown', 'Message Clicked', 'Message Dismissed', 'Message Held Out', 'Order Completed', 'identify', 'Signed Up');

export const eventArb: fc.Arbitrary<Omit<BeckonEvent, 'messageId'>> = fc.oneof(
  { weight: 6, arbitrary: fc.record({
      type: fc.constant('track' as const),
      anonymousId,
      userId: fc.option(userId, { nil: undefined, freq: 4 }),
      timestamp,
      event: trackName,
      properties: fc.oneof(
        { weight: 4, arbitrary: messageId.map((id) => ({ message_id: id })) },
        // Variants: named ones (and one no catalog names), an empty one, and one that is not a string.
        { weight: 4, arbitrary: fc.tuple(messageId, variantId).map(([id, variant]) => ({ message_id: id, variant_id: variant })) },
        { weight: 1, arbitrary: fc.constant({ message_id: 42 }) },
        { weight: 1, arbitrary: fc.constant({}) },
      ),
    }, { requiredKeys: ['type', 'anonymousId', 'timestamp', 'event', 'properties'] }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('identify' as const), anonymousId, userId, timestamp }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('page' as const), anonymousId, timestamp, name: fc.constant('Pricing') }) },
);

export const goalsArb: fc.Arbitrary<Record<string, MetricsGoal>> = fc.dictionary(
  messageId,
  fc.record({ event: fc.constantFrom('identify', 'Order Completed', 'Signed Up', 'Message Clicked'), windowMs: fc.constantFrom(0, HOUR, 6 * HOUR, 30 * HOUR) }),
  { maxKeys: 4 },
);

/** The catalog's variants by message id: some messages with two or three (weights of 0 too), others none. */
export const variantsArb: fc.Arbitrary<Record<string, MetricsVariant[]>> = fc.dictionary(
  messageId,
  fc.subarray(['a', 'b', 'c'], { minLength: 1 }).chain((ids) =>
    fc.tuple(...ids.map((id) => fc.constantFrom(0, 1, 2, 0.5).map((weight) => ({ id, weight })))),
  ),
  { maxKeys: 3 },
);
