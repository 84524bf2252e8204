import { describe, expect, it } from 'vitest';
import { compileCatalog, emptyLedger, evaluate, holdoutBucket, recordPageView, type Message, type Variant } from './index.js';
import { assignVariant, type WeightedVariant } from './variant.js';

/** A seeded generator of uuid-like visitor ids (a linear congruential generator: the same ids every run). */
function visitorIds(count: number, seed = 11): string[] {
  const next = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
  const uuid = () => 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, () => Math.floor(next() * 16).toString(16));
  return Array.from({ length: count }, uuid);
}

const visitors = visitorIds(100_000);
const variants = (...weights: number[]): WeightedVariant[] => weights.map((weight, i) => ({ id: `v${i}`, weight }));
const assignAll = (messageId: string, list: WeightedVariant[]) => visitors.map((visitorId) => assignVariant(messageId, visitorId, list)?.id);

describe('assignVariant', () => {
  it.each([[[1, 1]], [[70, 30]], [[1, 2, 7]], [[5, 0, 5]], [[0.2, 0.3, 0.1, 0.4]]])(
    'puts 100,000 visitors in each variant with weights %j within 1% of its share',
    (weights) => {
      const list = variants(...weights);
      const total = weights.reduce((a, b) => a + b, 0);
      for (const messageId of ['spring-sale', 'm']) {
        const assigned = assignAll(messageId, list);
        for (const { id, weight } of list) {
          const share = assigned.filter((a) => a === id).length / visitors.length;
          expect(Math.abs(share - weight / total), `${messageId} ${id}`).toBeLessThan(0.01);
        }
      }
    },
  );

  // The same vectors are checked in Chromium (packages/web/src/variants.browser.test.ts): one answer everywhere.
  it('gives these fixed answers, in Node as in browsers', () => {
    const list = [{ id: 'plain', weight: 1 }, { id: 'loud', weight: 2 }, { id: 'quiet', weight: 0.5 }];
    const ids = ['0b3f1c9e-6a7d-4e2f-9c1a-5d8e7f6a2b10', 'visitor-1', 'visitor-2', 'visitor-3', 'ü-ñ-👋', 'a', ''];
    expect(ids.map((id) => assignVariant('spring-sale', id, list)!.id)).toEqual(['plain', 'loud', 'loud', 'loud', 'quiet', 'loud', 'loud']);
    let digest = 0;
    for (let i = 0; i < 100_000; i++) {
      const id = assignVariant('spring-sale', `v${i}`, list)!.id;
      digest = (Math.imul(digest, 31) + id.charCodeAt(0) + id.length) | 0;
    }
    expect(digest).toBe(-771358901);
  });

  it('never gives a variant of weight 0 to anyone, and nothing when no weight is above 0', () => {
    expect(assignAll('m', variants(0, 1, 0)).every((id) => id === 'v1')).toBe(true);
    expect(assignVariant('m', 'visitor', variants(0, 0))).toBeUndefined();
  });

  it('is a pure function of the ids and the weights: the order of the variants does not matter', () => {
    const list = variants(1, 2, 3);
    const reversed = [...list].reverse();
    for (const visitorId of visitors.slice(0, 5000)) expect(assignVariant('m', visitorId, reversed)).toBe(assignVariant('m', visitorId, list));
  });

  it('draws independently of the holdout: each variant has its share inside the control group and outside it', () => {
    const list = variants(1, 1);
    const control = visitors.filter((visitorId) => holdoutBucket(visitorId, 'm') < 0.5);
    const rest = visitors.filter((visitorId) => holdoutBucket(visitorId, 'm') >= 0.5);
    for (const group of [control, rest]) {
      const share = group.filter((visitorId) => assignVariant('m', visitorId, list)!.id === 'v0').length / group.length;
      expect(Math.abs(share - 0.5)).toBeLessThan(0.01);
    }
  });

  it('draws independently for two messages', () => {
    const list = variants(1, 1);
    const both = visitors.filter((v) => assignVariant('a', v, list)!.id === 'v0' && assignVariant('b', v, list)!.id === 'v0').length;
    expect(Math.abs(both / visitors.length - 0.25)).toBeLessThan(0.01);
  });

  describe('changing weights moves as few visitors as possible', () => {
    /** Who moved from where to where when the weights change from `before` to `after`. */
    function moves(before: WeightedVariant[], after: WeightedVariant[]) {
      const was = assignAll('spring-sale', before);
      const now = assignAll('spring-sale', after);
      const moved = was.flatMap((from, i) => (from === now[i] ? [] : [[from, now[i]] as const]));
      return { moved, share: moved.length / visitors.length };
    }
    const shareOf = (list: WeightedVariant[], id: string) => list.find((v) => v.id === id)!.weight / list.reduce((sum, v) => sum + v.weight, 0);

    it.each([
      ['raising v0 from 1 to 3 of (1, 1, 1)', variants(1, 1, 1), variants(3, 1, 1), 'v0'],
      ['raising v1 from 1 to 3 of (1, 1, 1)', variants(1, 1, 1), variants(1, 3, 1), 'v1'],
      ['lowering v0 from 50 to 10 of (50, 50)', variants(50, 50), variants(10, 50), 'v0'],
      ['lowering v2 to 0 of (1, 2, 3)', variants(1, 2, 3), variants(1, 2, 0), 'v2'],
      ['raising v3 from 1 to 1.05 of (1, 2, 3, 1)', variants(1, 2, 3, 1), variants(1, 2, 3, 1.05), 'v3'],
    ])('%s: every move is to or from that variant, and only its change in share moves', (_, before, after, changed) => {
      const { moved, share } = moves(before, after);
      const raised = shareOf(after, changed) > shareOf(before, changed);
      // A raised weight only draws visitors to its variant; a lowered one only sends its own away.
      for (const [from, to] of moved) expect(raised ? to : from).toBe(changed);
      // At least |change in its share| of all visitors must move; no more does (within sampling error).
      const needed = Math.abs(shareOf(after, changed) - shareOf(before, changed));
      expect(Math.abs(share - needed)).toBeLessThan(0.005);
      expect(moved.length).toBeGreaterThan(0);
    });

    it('adding a variant only draws visitors to it; removing one only moves its own visitors', () => {
      const added = moves(variants(1, 1), variants(1, 1, 1));
      expect(added.moved.every(([, to]) => to === 'v2')).toBe(true);
      expect(Math.abs(added.share - 1 / 3)).toBeLessThan(0.01);
      const removed = moves(variants(1, 1, 1), variants(1, 1));
      expect(removed.moved.every(([from]) => from === 'v2')).toBe(true);
    });

    it('the naive scheme (one point in [0, 1) against cumulative weights) would move more: the checks can tell', () => {
      // The same hash read against cumulative shares: raising v0 of (1, 1, 1) to 3 also shifts v1's and v2's intervals.
      const naive = (list: WeightedVariant[]) => (visitorId: string) => {
        const total = list.reduce((sum, v) => sum + v.weight, 0);
        let point = holdoutBucket(visitorId, 'spring-sale') * total;
        return list.find((v) => (point -= v.weight) < 0)!.id;
      };
      const before = visitors.map(naive(variants(1, 1, 1)));
      const after = visitors.map(naive(variants(3, 1, 1)));
      const moved = before.flatMap((from, i) => (from === after[i] ? [] : [[from, after[i]] as const]));
      expect(moved.some(([, to]) => to !== 'v0')).toBe(true);
      // 3/5 - 1/3 had to move; the naive scheme moves 2/5.
      expect(moved.length / visitors.length).toBeGreaterThan(3 / 5 - 1 / 3 + 0.1);
    });
  });
});

describe('evaluate with variants', () => {
  const now = Date.parse('2026-06-01T12:00:00Z');
  const ledger = recordPageView(emptyLedger(), now);
  const base: Message = {
    id: 'spring-sale',
    audience: 'everyone',
    layout: { type: 'banner' },
    content: { title: 'Spring sale' },
    variants: [
      { id: 'banner', weight: 1 },
      { id: 'modal', weight: 1, layout: { type: 'modal' }, content: { title: 'Spring sale, in a modal' } },
    ],
  };
  const catalog = compileCatalog([base]);
  const variantIn = (visitorId: string, identified = false) => evaluate(catalog, { url: '/', identified, visitorId }, ledger, now).show[0]?.variant;

  it('gives each shown message the visitor’s variant, as authored', () => {
    const seen = new Map<string, Variant>();
    for (const visitorId of visitors.slice(0, 200)) {
      const variant = variantIn(visitorId)!;
      expect(variant).toBe(assignVariant(base.id, visitorId, base.variants!));
      seen.set(variant.id, variant);
    }
    expect(seen.get('modal')).toEqual(base.variants![1]);
    expect(seen.get('banner')).toEqual(base.variants![0]);
  });

  it('keeps the variant after identify (the anonymous id stays the visitor id)', () => {
    for (const visitorId of visitors.slice(0, 200)) expect(variantIn(visitorId, true)).toBe(variantIn(visitorId, false));
  });

  it('names the variant a held-out visitor would have seen', () => {
    const held = compileCatalog([{ ...base, holdout: 0.5 }]);
    const skips = visitors.slice(0, 200).flatMap((visitorId) => {
      const skip = evaluate(held, { url: '/', identified: false, visitorId }, ledger, now).skipped[0];
      return skip?.reason === 'holdout' ? [[visitorId, skip.variant] as const] : [];
    });
    expect(skips.length).toBeGreaterThan(50);
    for (const [visitorId, variant] of skips) expect(variant).toBe(assignVariant(base.id, visitorId, base.variants!));
  });

  it('counts a message as a modal when the visitor’s variant is one', () => {
    const other: Message = { id: 'other-modal', audience: 'everyone', priority: -1, layout: { type: 'modal' }, content: { title: 'Other' } };
    const both = compileCatalog([base, other]);
    for (const visitorId of visitors.slice(0, 50)) {
      const { show, skipped } = evaluate(both, { url: '/', identified: false, visitorId }, ledger, now);
      const modal = variantIn(visitorId)!.id === 'modal';
      expect(show.map((d) => d.message.id)).toEqual(modal ? ['spring-sale'] : ['spring-sale', 'other-modal']);
      expect(skipped.map((s) => s.reason)).toEqual(modal ? ['limit'] : []);
      // A modal variant on screen counts toward maxModals too.
      const showing = evaluate(both, { url: '/', identified: false, visitorId }, ledger, now, { showing: ['spring-sale'] });
      expect(showing.show.map((d) => d.message.id)).toEqual(modal ? [] : ['other-modal']);
    }
  });

  it('leaves the variant out of decisions for messages without variants', () => {
    const { show } = evaluate(compileCatalog([{ ...base, variants: undefined }]), { url: '/', identified: false, visitorId: 'x' }, ledger, now);
    expect('variant' in show[0]!).toBe(false);
  });
});
