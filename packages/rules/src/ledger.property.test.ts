import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCatalog, emptyLedger, evaluate, mergeLedgers, parseLedger, prune, record, recordPageView, sessionAt, type Ledger, type LedgerRecord, type Message } from './index.js';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const start = Date.parse('2026-06-01T00:00:00Z');

const ids = ['a', 'b', 'c'] as const;
const recordArb: fc.Arbitrary<LedgerRecord> = fc.record(
  {
    messageId: fc.constantFrom(...ids),
    type: fc.constantFrom('shown', 'dismissed', 'action'),
    at: fc.integer({ min: start, max: start + 30 * day }),
    tab: fc.constantFrom('k3x9', 'q7m2'),
  },
  { requiredKeys: ['messageId', 'type', 'at'] },
);
/** A ledger as tabs build them: records and page views in any order. */
const ledgerArb: fc.Arbitrary<Ledger> = fc
  .array(fc.oneof({ weight: 4, arbitrary: recordArb }, { weight: 1, arbitrary: fc.integer({ min: start, max: start + 30 * day }) }), { maxLength: 25 })
  .map((steps) => steps.reduce((ledger, step) => (typeof step === 'number' ? recordPageView(ledger, step) : record(ledger, step)), emptyLedger()));

/** Every record of a ledger as `id type time` strings, to compare contents. */
const entries = (ledger: Ledger) =>
  Object.entries(ledger.messages)
    .flatMap(([id, history]) => Object.entries(history).flatMap(([type, times]) => (times as number[]).map((at) => `${id} ${type} ${at}`)))
    .sort();

describe('mergeLedgers (property)', () => {
  it('is commutative', () => {
    fc.assert(fc.property(ledgerArb, ledgerArb, (a, b) => {
      expect(mergeLedgers(a, b)).toEqual(mergeLedgers(b, a));
    }));
  });

  it('is associative', () => {
    fc.assert(fc.property(ledgerArb, ledgerArb, ledgerArb, (a, b, c) => {
      expect(mergeLedgers(mergeLedgers(a, b), c)).toEqual(mergeLedgers(a, mergeLedgers(b, c)));
    }));
  });

  it('is idempotent', () => {
    fc.assert(fc.property(ledgerArb, ledgerArb, (a, b) => {
      expect(mergeLedgers(a, a)).toEqual(a);
      const merged = mergeLedgers(a, b);
      expect(mergeLedgers(merged, b)).toEqual(merged);
    }));
  });

  it('loses no record and counts none twice', () => {
    fc.assert(fc.property(ledgerArb, ledgerArb, (a, b) => {
      expect(entries(mergeLedgers(a, b))).toEqual([...new Set([...entries(a), ...entries(b)])].sort());
    }));
  });

  it('survives storage: parseLedger(JSON) gives the same ledger back', () => {
    fc.assert(fc.property(ledgerArb, (ledger) => {
      expect(parseLedger(JSON.stringify(ledger))).toEqual(ledger);
    }));
  });
});

describe('record (property)', () => {
  it('gives the same ledger whatever the order of the records', () => {
    fc.assert(fc.property(fc.array(recordArb, { maxLength: 20 }).chain((records) => fc.tuple(fc.constant(records), fc.shuffledSubarray(records, { minLength: records.length, maxLength: records.length }))), ([records, shuffled]) => {
      const apply = (list: LedgerRecord[]) => list.reduce(record, emptyLedger());
      expect(apply(shuffled)).toEqual(apply(records));
    }));
  });
});

/** Frequency options to combine: every kind of cap, with small numbers so they bind often. */
const frequencyArb = fc.record(
  {
    maxShows: fc.integer({ min: 1, max: 4 }),
    minInterval: fc.constantFrom('10m', '1h', '1d'),
    caps: fc.array(fc.record({ max: fc.integer({ min: 1, max: 3 }), per: fc.constantFrom<'session' | string>('session', '30m', '2h', '1d') }), { maxLength: 2 }),
    stopOnDismiss: fc.boolean(),
  },
  { requiredKeys: [] },
);

/** A visitor's timeline: time passing, page views, evaluations (showing what they say), dismissals, prunes, a second tab. */
const stepArb = fc.oneof(
  fc.record({ kind: fc.constant('wait' as const), ms: fc.constantFrom(minute, 20 * minute, hour, 5 * hour, day) }),
  fc.record({ kind: fc.constant('view' as const) }),
  fc.record({ kind: fc.constant('evaluate' as const) }),
  fc.record({ kind: fc.constant('dismiss' as const), id: fc.constantFrom(...ids) }),
  fc.record({ kind: fc.constant('prune' as const) }),
  fc.record({ kind: fc.constant('other tab' as const) }),
);

describe('record then evaluate (property)', () => {
  it('never exceeds any cap, whatever the order of events', () => {
    fc.assert(
      fc.property(fc.tuple(frequencyArb, frequencyArb, frequencyArb), fc.array(stepArb, { minLength: 1, maxLength: 60 }), (frequencies, steps) => {
        const messages: Message[] = ids.map((id, i) => ({ id, frequency: frequencies[i], layout: { type: 'banner' }, content: { title: id } }));
        const catalog = compileCatalog(messages);
        let now = start;
        let ledger = emptyLedger();
        let otherTab: Ledger | undefined;
        const shows: Record<string, number[]> = { a: [], b: [], c: [] };
        const dismissedAt: Record<string, number> = {};
        // Where the session of each show began, as the ledger saw it when the show was decided.
        const sessionOf = new Map<number, number>();
        for (const step of steps) {
          if (step.kind === 'wait') now += step.ms;
          if (step.kind === 'view') {
            ledger = recordPageView(ledger, now);
          }
          if (step.kind === 'dismiss' && shows[step.id]!.length) {
            ledger = record(ledger, { messageId: step.id, type: 'dismissed', at: now });
            dismissedAt[step.id] ??= now;
          }
          if (step.kind === 'prune') ledger = prune(ledger, catalog, now);
          // A second tab works from a copy and merges back; it adds nothing, so the merge must lose nothing.
          if (step.kind === 'other tab') otherTab = otherTab ? ((ledger = mergeLedgers(ledger, otherTab)), undefined) : ledger;
          if (step.kind === 'evaluate') {
            sessionOf.set(now, sessionAt(ledger, now).start);
            for (const { message } of evaluate(catalog, { url: '/', identified: false, visitorId: 'v' }, ledger, now).show) {
              shows[message.id]!.push(now);
              ledger = record(ledger, { messageId: message.id, type: 'shown', at: now, tab: 'k3x9' });
            }
            now += 1;
          }
        }
        for (const [i, message] of messages.entries()) {
          const times = shows[message.id]!;
          const { maxShows, minInterval, caps = [], stopOnDismiss = true } = frequencies[i]!;
          if (maxShows !== undefined) expect(times.length).toBeLessThanOrEqual(maxShows);
          const gap = { '10m': 10 * minute, '1h': hour, '1d': day }[minInterval ?? '10m']!;
          if (minInterval !== undefined) times.slice(1).forEach((at, j) => expect(at - times[j]!).toBeGreaterThanOrEqual(gap));
          for (const { max, per } of caps) {
            if (per === 'session') {
              for (const at of times) expect(times.filter((t) => t >= sessionOf.get(at)! && t <= at).length).toBeLessThanOrEqual(max);
            } else {
              const window = { '30m': 30 * minute, '2h': 2 * hour, '1d': day }[per]!;
              for (const at of times) expect(times.filter((t) => t > at - window && t <= at).length).toBeLessThanOrEqual(max);
            }
          }
          const dismissed = dismissedAt[message.id];
          if (stopOnDismiss && dismissed !== undefined) expect(times.filter((at) => at > dismissed)).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('prune (property)', () => {
  it('changes no decision, now or later', () => {
    fc.assert(
      fc.property(ledgerArb, fc.tuple(frequencyArb, frequencyArb, frequencyArb), fc.integer({ min: 0, max: 3 * day }), (ledger, frequencies, later) => {
        const catalog = compileCatalog(ids.map((id, i) => ({ id, frequency: frequencies[i], layout: { type: 'banner' }, content: { title: id } })));
        const now = start + 31 * day;
        const pruned = prune(ledger, catalog, now);
        const reasons = (which: Ledger, at: number) => evaluate(catalog, { url: '/', identified: false, visitorId: 'v' }, which, at, { maxModals: 3, minIntervalBetweenMessages: hour }).skipped.map((skip) => `${skip.message.id}:${skip.reason}`);
        expect(reasons(pruned, now)).toEqual(reasons(ledger, now));
        expect(reasons(pruned, now + later)).toEqual(reasons(ledger, now + later));
      }),
      { numRuns: 300 },
    );
  });
});
