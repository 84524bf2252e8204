import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isEvent, utf8Length } from './event.js';

describe('utf8Length', () => {
  it('counts what TextEncoder writes, for any text (surrogate pairs and lone surrogates included)', () => {
    const encoder = new TextEncoder();
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => utf8Length(text) === encoder.encode(text).length), { numRuns: 5000 });
    expect(utf8Length('a€😀\ud800')).toBe(1 + 3 + 4 + 3);
  });
});

describe('isEvent', () => {
  const good = { type: 'track', event: 'Clicked', messageId: 'm1', anonymousId: 'a1', timestamp: '2026-01-31T12:00:00.000Z', properties: {} };

  it('accepts each kind of event the tracker writes', () => {
    expect(isEvent(good)).toBe(true);
    expect(isEvent({ ...good, type: 'page', event: undefined })).toBe(true);
    expect(isEvent({ ...good, type: 'screen', name: 'Home' })).toBe(true);
    expect(isEvent({ ...good, type: 'identify', userId: 'u1' })).toBe(true);
  });

  it('refuses what the collector would refuse', () => {
    for (const bad of [
      null,
      'text',
      [],
      { ...good, type: 'alias' },
      { ...good, type: 'constructor' },
      { ...good, type: 'toString' },
      { ...good, type: '__proto__' },
      { ...good, type: 'screen' },
      { ...good, type: 'identify' },
      { ...good, event: '' },
      { ...good, messageId: 7 },
      { ...good, anonymousId: undefined },
      { ...good, userId: '' },
      { ...good, timestamp: 'yesterday' },
      { ...good, timestamp: 1767225600000 },
      { ...good, properties: [1] },
    ]) {
      expect(isEvent(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});
