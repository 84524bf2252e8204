import { describe, expect, it } from 'vitest';
import { collectBatch, nestedDeeperThan } from './collect-batch.js';

const event = (over: Record<string, unknown> = {}) => ({
  type: 'track', event: 'Clicked', messageId: 'e1', anonymousId: 'a1', timestamp: '2026-01-01T00:00:00.000Z', ...over,
});

describe('collectBatch', () => {
  it('measures nesting without recursion, however deep', () => {
    let deep: unknown = {};
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(nestedDeeperThan(deep, 32)).toBe(true);
    expect(nestedDeeperThan({ a: { b: [1, { c: 2 }] } }, 4)).toBe(false);
    expect(nestedDeeperThan({ a: { b: [1, { c: {} }] } }, 4)).toBe(true);
    expect(nestedDeeperThan('text', 0)).toBe(false);
  });

  it('keeps the valid events in order and refuses the others with their index, id and reason', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { d: deep };
    const result = collectBatch({ batch: [event(), event({ messageId: 'e2', properties: deep }), event({ messageId: 'e3', timestamp: 'now' }), event({ messageId: 'e4' })] });
    expect(result.events.map((e) => e.messageId)).toEqual(['e1', 'e4']);
    expect(result.refused).toEqual([
      { index: 1, messageId: 'e2', reason: 'batch[1]: nests objects or arrays more than 32 levels deep: flatten its properties' },
      { index: 2, messageId: 'e3', reason: expect.stringMatching(/^batch\[2\]\.timestamp: must be an ISO 8601 date-time/) },
    ]);
    expect(result.issues.map((i) => i.path)).toEqual(['batch[1]', 'batch[2].timestamp']);
    expect(collectBatch({ batch: [42] }).refused).toEqual([{ index: 0, reason: expect.stringMatching(/^batch\[0\]: /) }]);
  });

  it('refuses a body that is not a batch as a whole, with 400', () => {
    for (const body of [null, [], { batch: [] }, { batch: 'x' }, { batch: Array.from({ length: 501 }, () => event()) }]) {
      expect(() => collectBatch(body), JSON.stringify(body).slice(0, 40)).toThrow(expect.objectContaining({ status: 400 }));
    }
  });
});
