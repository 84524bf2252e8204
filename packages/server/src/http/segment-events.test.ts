import { describe, expect, it } from 'vitest';
import { userOnlyAnonymousId, withSegmentFields } from './segment-events.js';

const arrival = { receivedMs: Date.parse('2026-03-02T10:00:00Z'), newId: () => 'new-id' };

describe('withSegmentFields', () => {
  it('gives an event with a userId only the anonymous id of that user, the same every time', () => {
    const event = { type: 'track', event: 'Order Completed', userId: 'u-42', messageId: 'm1', timestamp: '2026-03-02T09:00:00.000Z' };
    expect(withSegmentFields(event, arrival)).toEqual({ ...event, anonymousId: 'user:u-42' });
    expect(withSegmentFields({ ...event, anonymousId: null }, arrival)).toEqual({ ...event, anonymousId: userOnlyAnonymousId('u-42') });
  });

  it('keeps a given anonymousId, and leaves an event with neither id for the schema to refuse', () => {
    const both = { type: 'track', event: 'X', userId: 'u-1', anonymousId: 'a-1', messageId: 'm1', timestamp: '2026-03-02T09:00:00.000Z' };
    expect(withSegmentFields(both, arrival)).toBe(both);
    const neither = { type: 'track', event: 'X', userId: '', messageId: 'm2', timestamp: '2026-03-02T09:00:00.000Z' };
    expect(withSegmentFields(neither, arrival)).toBe(neither);
  });
});
