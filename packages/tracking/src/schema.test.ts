import { describe, expect, it } from 'vitest';
import { MAX_BATCH_LENGTH, batchSchema, eventSchema, formatPath, parseBatch, toFieldErrors } from './schema.js';
import type { BeckonEvent } from './types.js';

const library = { name: '@beckon/tracking', version: '0.1.0' };
const base = { messageId: 'e1', anonymousId: 'a1', timestamp: '2026-01-31T12:00:00.000Z' };

const valid: BeckonEvent[] = [
  { ...base, type: 'page', context: { page: { url: 'https://shop.test/p', path: '/p', referrer: '', title: 'P' }, locale: 'en', library } },
  { ...base, messageId: 'e2', type: 'screen', name: 'Checkout' },
  { ...base, messageId: 'e3', type: 'track', event: 'Message Shown', userId: 'u1', properties: { message_id: 'm', layout: 'modal' } },
  { ...base, messageId: 'e4', type: 'identify', userId: 'u1', traits: { plan: 'pro' } },
];

describe('batchSchema', () => {
  it('accepts every kind of event the tracker sends, unchanged', () => {
    const result = parseBatch({ batch: valid });
    expect(result).toEqual({ ok: true, batch: valid });
  });

  it('accepts time zone offsets and drops unknown top-level keys but keeps unknown context keys', () => {
    const event = { ...base, type: 'track', event: 'x', timestamp: '2026-01-31T12:00:00+02:00', sentAt: 'later', context: { library, ip: '1.2.3.4' } };
    const result = parseBatch({ batch: [event] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.batch[0]).not.toHaveProperty('sentAt');
    expect(result.batch[0]?.context).toEqual({ library, ip: '1.2.3.4' });
  });

  it('names the field and the fix for each problem', () => {
    const body = {
      batch: [
        valid[0],
        { ...base, type: 'track' },
        { ...base, type: 'click' },
        { ...base, type: 'page', timestamp: '31/01/2026' },
        { ...base, type: 'identify', userId: '', traits: [] },
        { ...base, type: 'screen', name: 'S', messageId: 7 },
      ],
    };
    const result = parseBatch(body);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      { path: 'batch[1].event', message: 'is required (a string)' },
      { path: 'batch[2].type', message: 'must be one of "page", "screen", "track", "identify", not "click"' },
      { path: 'batch[3].timestamp', message: 'must be an ISO 8601 date-time with a time zone, such as "2026-01-31T12:00:00.000Z", not "31/01/2026"' },
      { path: 'batch[4].userId', message: 'must not be empty' },
      { path: 'batch[4].traits', message: 'must be an object, not an array' },
      { path: 'batch[5].messageId', message: 'must be a string, not a number' },
    ]);
  });

  it('refuses a body that is not { batch: [...] }, an empty batch and an oversized one', () => {
    expect(parseBatch(null)).toEqual({ ok: false, errors: [{ path: '', message: 'must be an object, not null' }] });
    expect(parseBatch({ events: [] })).toEqual({ ok: false, errors: [{ path: 'batch', message: 'is required (an array)' }] });
    expect(parseBatch({ batch: [] })).toEqual({ ok: false, errors: [{ path: 'batch', message: 'must not be empty' }] });
    const tooMany = Array.from({ length: MAX_BATCH_LENGTH + 1 }, (_, i) => ({ ...valid[2], messageId: `m${i}` }));
    expect(parseBatch({ batch: tooMany })).toEqual({
      ok: false,
      errors: [{ path: 'batch', message: `must have at most ${MAX_BATCH_LENGTH} items; send the rest in another request` }],
    });
    expect(parseBatch({ batch: tooMany.slice(1) }).ok).toBe(true);
  });

  it('refuses over-long names and a library without its version', () => {
    const context = { library: { name: 'analytics-python' } };
    const errors = toFieldErrors(eventSchema.safeParse({ ...base, type: 'track', event: 'x'.repeat(201), context }).error!, undefined);
    expect(errors).toEqual([
      { path: 'context.library.version', message: 'is required (a string)' },
      { path: 'event', message: 'must have at most 200 characters' },
    ]);
  });

  it('accepts an event with an empty context, or a context without a library (other Segment-protocol libraries)', () => {
    const result = parseBatch({ batch: [{ ...base, type: 'track', event: 'x', context: {} }, { ...base, type: 'page', context: { locale: 'en' } }] });
    expect(result).toEqual({ ok: true, batch: [expect.objectContaining({ context: {} }), expect.objectContaining({ context: { locale: 'en' } })] });
  });

  it('is usable as a plain zod schema', () => {
    expect(batchSchema.safeParse({ batch: valid }).success).toBe(true);
    expect(eventSchema.safeParse(valid[3]).success).toBe(true);
  });
});

describe('formatPath', () => {
  it('writes paths the way JavaScript reaches them', () => {
    expect(formatPath([])).toBe('');
    expect(formatPath(['batch', 3, 'timestamp'])).toBe('batch[3].timestamp');
    expect(formatPath(['batch', 0, 'properties', 'a b'])).toBe('batch[0].properties["a b"]');
  });
});
