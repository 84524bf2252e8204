import { assignVariant, emptyLedger } from '@beckon/rules';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from './catalog/load.js';
import { decideFor } from './decide.js';

const variants = [
  { id: 'plain', weight: 3 },
  { id: 'bold', weight: 1, layout: { type: 'banner', position: 'top' }, content: { title: 'BIG offer', body: 'Now.' } },
  { id: 'quiet', weight: 1, content: { title: 'A small offer' } },
];
const loaded = loadCatalog(JSON.stringify({
  messages: [
    { id: 'coupon', audience: 'everyone', holdout: 0.2, variants, layout: { type: 'modal' }, content: { title: '10% off', body: 'Sign up.' } },
    { id: 'plain-message', layout: { type: 'popup' }, content: { title: 'No experiment' } },
  ],
}));
if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
const catalog = loaded.compiled;
const decide = (anonymousId: string, userId?: string) =>
  decideFor(catalog, { anonymousId, userId, url: '/pricing' }, { identified: userId !== undefined, ledger: emptyLedger() }, 0);

describe('decideFor with variants', () => {
  it('names the variant assignVariant gives the browser, with its layout and content, for 5,000 visitors, identified or not', () => {
    const seen = new Map<string, number>();
    for (let i = 0; i < 5000; i++) {
      const anonymousId = `visitor-${i}-${(i * 7919).toString(36)}`;
      const expected = assignVariant('coupon', anonymousId, variants)!;
      const decision = decide(anonymousId);
      const coupon = decision.show.find((m) => m.id === 'coupon');
      if (coupon === undefined) {
        // Held out: the variant they would have seen, for their Held Out event.
        expect(decision.skipped.find((m) => m.id === 'coupon')).toMatchObject({ reason: 'holdout', variant: expected.id });
        continue;
      }
      seen.set(expected.id, (seen.get(expected.id) ?? 0) + 1);
      const base = catalog.messages[0]!;
      expect(coupon).toMatchObject({ variant: expected.id, layout: expected.layout ?? base.layout, content: expected.content ?? base.content });
      // Identify changes nothing: assignment hashes the anonymous id.
      expect(decide(anonymousId, `user-${i}`).show.find((m) => m.id === 'coupon')?.variant).toBe(expected.id);
    }
    expect([...seen.keys()].sort()).toEqual(['bold', 'plain', 'quiet']);
    // A message without variants names none.
    expect(decide('visitor-0').show.find((m) => m.id === 'plain-message')).not.toHaveProperty('variant');
  });
});
