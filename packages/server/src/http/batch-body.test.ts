import { eventSchema, parseBatch } from '@beckon/tracking/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTEXT_KEYS, LIBRARY_KEYS, PAGE_KEYS, parseBatchBody, SCREEN_KEYS, wellFormedBatch } from './batch-body.js';

/** Mostly `valid`, now and then one of `invalid`. */
const mostly = <T, U = unknown>(valid: fc.Arbitrary<T>, invalid: readonly U[]): fc.Arbitrary<T | U> =>
  fc.oneof({ weight: 30, arbitrary: valid }, { weight: 1, arbitrary: fc.constantFrom(...invalid) });
const name = mostly(fc.constantFrom('anon-1', 'Message Shown', 'u-7', 'Home', 'ü 😀', 'x'.repeat(200)), ['', 'x'.repeat(201), 42, null, ['a'], {}]);
const text = mostly(fc.string(), [1, null, {}]);
const timestamp = mostly(
  fc.constantFrom('2026-01-31T12:00:00.000Z', '2026-01-31T12:00:00Z', '2024-02-29T23:59:59.5+05:30', '2026-01-31T12:00:00.123456-08:00'),
  ['yesterday', '2026-02-30T12:00:00Z', '2023-02-29T12:00:00Z', '2026-01-31T12:00:00', '2026-01-31', 1767225600000, ''],
);
// "zz" becomes "__proto__" once through JSON (as JSON.parse gives it: an own key).
const extraKeys = mostly(fc.dictionary(fc.constantFrom('sentAt', 'extra', '1', 'constructor'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 }), [{ zz: 1 }, { zz: {} }]);
/** `value`'s keys in a random order, some of them left out, plus extra keys now and then. */
const shuffled = (value: fc.Arbitrary<Record<string, unknown>>, optional: readonly string[]) =>
  fc
    .tuple(value, fc.subarray([...optional]), mostly(fc.constant([] as string[]), [['type'], ['messageId'], ['timestamp'], ['library']]), extraKeys)
    .chain(([object, dropped, droppedRequired, extra]) => {
      const keys = Object.keys(object).filter((key) => !dropped.includes(key) && !droppedRequired.includes(key));
      return fc.shuffledSubarray(keys, { minLength: keys.length }).map((order) => ({ ...Object.fromEntries(order.map((key) => [key, object[key]])), ...extra }));
    });
const library = mostly(fc.constant({ name: '@beckon/web', version: '0.1.0' }), [{ name: '@beckon/web' }, { name: 1, version: '1' }, 'lib', null]);
const page = shuffled(fc.record({ url: text, path: text, referrer: text, title: text, search: text }), PAGE_KEYS);
const screen = shuffled(fc.record({ name: text }), SCREEN_KEYS);
const context = mostly(shuffled(fc.record({ page, screen, locale: text, userAgent: text, library, more: fc.jsonValue({ maxDepth: 2 }) }), ['page', 'screen', 'locale', 'userAgent', 'more']), [null, [], 'ctx']);
const bag = mostly(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }), [null, [], 'x', { zz: 1 }]);
const type = mostly(fc.constantFrom('page', 'screen', 'track', 'identify'), ['alias', 1]);
const eventArb = shuffled(
  fc.record({ type, messageId: name, anonymousId: name, userId: name, timestamp, context, properties: bag, traits: bag, event: name, name }),
  ['userId', 'context', 'properties', 'traits', 'event', 'name'],
);
// Through JSON, as the collector receives them.
const bodyArb = fc
  .record({ batch: mostly(fc.array(eventArb, { minLength: 1, maxLength: 4 }), [[], {}, null]) })
  .map((body) => JSON.parse(JSON.stringify(body).replaceAll('"zz"', '"__proto__"')) as unknown);

describe('parseBatchBody', () => {
  it('returns exactly what parseBatch returns (events, key order, errors), whatever the body', () => {
    let fast = 0;
    fc.assert(
      fc.property(bodyArb, (body) => {
        const quick = wellFormedBatch(body);
        const expected = parseBatch(body);
        if (quick) {
          fast += 1;
          expect(expected.ok).toBe(true);
          expect(JSON.stringify(quick)).toBe(JSON.stringify(expected.ok && expected.batch));
        }
        expect(JSON.stringify(parseBatchBody(body))).toBe(JSON.stringify(expected));
      }),
      { numRuns: 1500 },
    );
    // The comparison means something only if the quick path ran often.
    expect(fast).toBeGreaterThan(100);
  });

  it('takes the quick path for what the browser SDK sends', () => {
    const body = {
      sentAt: '2026-01-31T12:00:01.000Z',
      batch: [
        { type: 'page', messageId: 'e1', anonymousId: 'a1', timestamp: '2026-01-31T12:00:00.000Z', context: { library: { name: '@beckon/web', version: '0.1.0' }, page: { url: 'https://shop.example/', path: '/', title: 'Shop' }, locale: 'en-GB' } },
        { type: 'track', event: 'Message Shown', messageId: 'e2', anonymousId: 'a1', timestamp: '2026-01-31T12:00:00.000Z', properties: { message_id: 'coupon', layout: 'modal' } },
        { type: 'identify', messageId: 'e3', anonymousId: 'a1', userId: 'u1', timestamp: '2026-01-31T12:00:00.000Z', traits: { plan: 'pro' } },
        { type: 'screen', name: 'Checkout', messageId: 'e4', anonymousId: 'a1', timestamp: '2026-01-31T12:00:00+01:00' },
      ],
    };
    const quick = wellFormedBatch(body);
    expect(quick).toEqual((parseBatch(body) as { batch: unknown }).batch);
    // Over the limit: the schema's own error.
    const tooMany = { batch: Array.from({ length: 501 }, () => body.batch[0]) };
    expect(wellFormedBatch(tooMany)).toBeUndefined();
    expect(parseBatchBody(tooMany)).toEqual({ ok: false, errors: [{ path: 'batch', message: 'must have at most 500 items; send the rest in another request' }] });
  });

  it('knows every key the event schema knows', () => {
    // A field added to @beckon/tracking/schema must be added here too, or the quick path would drop it.
    type Schema = { def: { shape?: Record<string, Schema>; innerType?: Schema; options?: Schema[] } };
    const shapeOf = (schema: Schema) => (schema.def.innerType ?? schema).def.shape!;
    const options = (eventSchema as unknown as Schema).def.options!;
    expect(options.map((option) => Object.keys(shapeOf(option)).sort())).toEqual([
      ['anonymousId', 'context', 'messageId', 'name', 'properties', 'timestamp', 'type', 'userId'],
      ['anonymousId', 'context', 'messageId', 'name', 'properties', 'timestamp', 'type', 'userId'],
      ['anonymousId', 'context', 'event', 'messageId', 'properties', 'timestamp', 'type', 'userId'],
      ['anonymousId', 'context', 'messageId', 'properties', 'timestamp', 'traits', 'type', 'userId'],
    ]);
    const contextShape = shapeOf(shapeOf(options[0]!)['context']!);
    expect(Object.keys(contextShape)).toEqual(CONTEXT_KEYS);
    expect(Object.keys(shapeOf(contextShape['page']!))).toEqual(PAGE_KEYS);
    expect(Object.keys(shapeOf(contextShape['screen']!))).toEqual(SCREEN_KEYS);
    expect(Object.keys(shapeOf(contextShape['library']!))).toEqual(LIBRARY_KEYS);
  });
});
