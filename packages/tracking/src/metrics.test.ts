import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleRatioMismatch, sequentialDifference } from './experiment-stats.js';
import { DEFAULT_GOAL, computeMetrics } from './metrics.js';
import type { BeckonEvent, MessageMetrics, MetricsGoal, MetricsOptions } from './types.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const iso = (t: number) => new Date(t).toISOString();

let n = 0;
/** A track event at `t` (ms after T0) by an anonymous visitor, or by a user when `userId` is given. */
function track(event: string, t: number, anonymousId: string, properties: Record<string, unknown> = {}, userId?: string): BeckonEvent {
  return { type: 'track', event, messageId: `e${++n}`, anonymousId, ...(userId ? { userId } : {}), timestamp: iso(T0 + t), properties };
}
const shown = (message: string, t: number, anon: string, user?: string) => track('Message Shown', t, anon, { message_id: message, layout: 'modal' }, user);
const clicked = (message: string, t: number, anon: string, user?: string) => track('Message Clicked', t, anon, { message_id: message, action_id: 'go', url: '/go' }, user);
const dismissed = (message: string, t: number, anon: string) => track('Message Dismissed', t, anon, { message_id: message, via: 'close' });
const heldOut = (message: string, t: number, anon: string) => track('Message Held Out', t, anon, { message_id: message });
const identify = (t: number, anonymousId: string, userId: string): BeckonEvent => ({
  type: 'identify',
  messageId: `e${++n}`,
  anonymousId,
  userId,
  timestamp: iso(T0 + t),
});
const range = { from: T0, to: T0 + 10 * DAY };
const metricsOf = (events: BeckonEvent[], options: MetricsOptions = range) => computeMetrics(events, options);
const only = (events: BeckonEvent[], options?: MetricsOptions) => {
  const [result, ...rest] = metricsOf(events, options);
  expect(rest).toEqual([]);
  return result!;
};

describe('computeMetrics counters', () => {
  it('counts impressions, viewers, clicks, clickers and dismissals per message, sorted by message id', () => {
    const result = metricsOf([
      shown('b', 1, 'a1'),
      shown('b', 2, 'a1'),
      shown('b', 3, 'a2'),
      clicked('b', 4, 'a1'),
      clicked('b', 5, 'a1'),
      dismissed('b', 6, 'a2'),
      shown('B', 1, 'a3'),
      shown('a', 1, 'a3'),
    ]);
    expect(result.map((m) => m.messageId)).toEqual(['B', 'a', 'b']);
    expect(result[2]).toMatchObject({ impressions: 3, uniqueViewers: 2, clicks: 2, clickers: 1, clickThroughRate: 0.5, dismissals: 1 });
  });

  it('counts only message events in [from, to) with a non-empty string message_id, and ignores unreadable timestamps', () => {
    const result = metricsOf([
      shown('m', -1, 'before'),
      shown('m', 0, 'at-from'),
      shown('m', 10 * DAY - 1, 'last'),
      shown('m', 10 * DAY, 'at-to'),
      { ...shown('m', 1, 'bad-time'), timestamp: 'yesterday' },
      track('Message Shown', 1, 'no-id'),
      track('Message Shown', 1, 'empty-id', { message_id: '' }),
      track('Message Shown', 1, 'number-id', { message_id: 7 }),
      track('Message Viewed', 1, 'other-event', { message_id: 'm' }),
      { ...shown('m', 1, 'page'), type: 'page' } as BeckonEvent,
      shown('outside', -5, 'x'),
    ]);
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ messageId: 'm', impressions: 2, uniqueViewers: 2 });
  });

  it('gives zero rates and no lift when nobody saw the message', () => {
    expect(only([clicked('m', 1, 'a1'), dismissed('m', 1, 'a1')])).toEqual({
      messageId: 'm',
      impressions: 0,
      uniqueViewers: 0,
      clicks: 1,
      clickers: 1,
      clickThroughRate: 0,
      dismissals: 1,
      conversions: 0,
      conversionRate: 0,
      control: { size: 0, conversions: 0, conversionRate: 0 },
      lift: null,
    } satisfies MessageMetrics);
  });

  it('returns nothing for no events, and accepts any iterable', () => {
    expect(metricsOf([])).toEqual([]);
    function* stream() {
      yield shown('m', 1, 'a1');
      yield shown('m', 2, 'a2');
    }
    expect(computeMetrics(stream(), range)[0]).toMatchObject({ impressions: 2, uniqueViewers: 2 });
  });
});

describe('computeMetrics people', () => {
  it('merges anonymous events before and after an identify into that user', () => {
    const result = only([
      shown('m', 1, 'anon'),
      identify(2, 'anon', 'alice'),
      shown('m', 3, 'anon', 'alice'),
      shown('m', 4, 'other-device', 'alice'),
      clicked('m', 5, 'anon'),
      clicked('m', 6, 'phone', 'alice'),
    ]);
    expect(result).toMatchObject({ impressions: 3, uniqueViewers: 1, clicks: 2, clickers: 1 });
  });

  it('uses links from identify events outside the range, and the earliest identify of an anonymous id', () => {
    const result = only([
      identify(30 * DAY, 'anon', 'late-user'),
      identify(-5 * DAY, 'anon', 'alice'),
      shown('m', 1, 'anon'),
      shown('m', 2, 'device2', 'alice'),
      shown('m', 3, 'device3', 'late-user'),
    ]);
    expect(result.uniqueViewers).toBe(2);
  });

  it('an event with a user id belongs to that user even when its anonymous id is linked to someone else', () => {
    const result = only([identify(1, 'shared', 'alice'), shown('m', 2, 'shared', 'bob'), shown('m', 3, 'shared')]);
    expect(result.uniqueViewers).toBe(2);
  });

  it('never confuses an anonymous id with a user id of the same text', () => {
    expect(only([shown('m', 1, 'x'), shown('m', 2, 'y', 'x')]).uniqueViewers).toBe(2);
  });

  it('ignores identify events whose timestamp does not parse', () => {
    const result = only([{ ...identify(1, 'anon', 'alice'), timestamp: 'not a time' }, shown('m', 2, 'anon'), shown('m', 3, 'd2', 'alice')]);
    expect(result.uniqueViewers).toBe(2);
  });
});

describe('computeMetrics conversions', () => {
  it('counts a viewer who identifies within 7 days of the first show, inclusive, by default', () => {
    const result = only([
      shown('m', DAY, 'on-time'),
      identify(DAY + 7 * DAY, 'on-time', 'u1'),
      shown('m', DAY, 'too-late'),
      identify(DAY + 7 * DAY + 1, 'too-late', 'u2'),
      shown('m', DAY, 'before'),
      identify(DAY - 1, 'before', 'u3'),
      shown('m', 2 * DAY, 'never'),
    ]);
    expect(result).toMatchObject({ uniqueViewers: 4, conversions: 1, conversionRate: 0.25 });
  });

  it('measures the window from the first show in range, and counts goals after `to`', () => {
    const options = { from: T0, to: T0 + 2 * DAY };
    const result = only(
      [
        shown('m', -3 * DAY, 'v'), // before the range: not the first show that counts
        shown('m', DAY, 'v'),
        shown('m', DAY + 12 * 3600_000, 'v'),
        identify(DAY + 7 * DAY, 'v', 'u'), // 7 days after the first show in range, 5 days after `to`
      ],
      options,
    );
    expect(result).toMatchObject({ impressions: 2, uniqueViewers: 1, conversions: 1 });
  });

  it("uses each message's own goal when given; a track goal is a track event of that name, never an identify", () => {
    const goals: Record<string, MetricsGoal> = { signup: { event: 'Signed Up', windowMs: DAY } };
    const result = metricsOf(
      [
        shown('signup', 0, 'a'),
        track('Signed Up', DAY, 'a'),
        shown('signup', 0, 'b'),
        identify(1, 'b', 'ub'),
        shown('signup', 0, 'c'),
        track('Signed Up', DAY + 1, 'c'),
        shown('default', 0, 'd'),
        track('identify', 1, 'd'), // a track event named "identify" is not an identify
        shown('default', 0, 'e'),
        identify(5, 'e', 'ue'),
      ],
      { ...range, goals },
    );
    expect(result.map((m) => [m.messageId, m.uniqueViewers, m.conversions])).toEqual([
      ['default', 2, 1],
      ['signup', 3, 1],
    ]);
  });

  it('credits a goal reached by the same person on another device', () => {
    const result = only([shown('m', 1, 'laptop'), identify(2, 'laptop', 'alice'), track('Bought', 3, 'phone', {}, 'alice')], {
      ...range,
      goals: { m: { event: 'Bought', windowMs: DAY } },
    });
    expect(result.conversions).toBe(1);
  });

  it('looks goals up by own keys only, so message ids like "constructor" get the default goal', () => {
    const result = only([shown('constructor', 0, 'a'), identify(1, 'a', 'u')], { ...range, goals: {} });
    expect(result).toMatchObject({ messageId: 'constructor', conversions: 1 });
  });
});

describe('computeMetrics control group and lift', () => {
  it('measures the held-out group by the same rule and gives lift with a 95% interval', () => {
    const events: BeckonEvent[] = [];
    // 100 viewers, 30 convert; 50 held out, 5 convert.
    for (let i = 0; i < 100; i++) {
      events.push(shown('m', 1, `v${i}`));
      if (i < 30) events.push(identify(2, `v${i}`, `uv${i}`));
    }
    for (let i = 0; i < 50; i++) {
      events.push(heldOut('m', 1, `c${i}`), heldOut('m', 5, `c${i}`));
      if (i < 5) events.push(identify(2, `c${i}`, `uc${i}`));
    }
    const result = only(events);
    expect(result).toMatchObject({ uniqueViewers: 100, conversions: 30, conversionRate: 0.3, control: { size: 50, conversions: 5, conversionRate: 0.1 } });
    const margin = 1.96 * Math.sqrt((0.3 * 0.7) / 100 + (0.1 * 0.9) / 50);
    expect(result.lift!.value).toBeCloseTo(0.2, 12);
    expect(result.lift!.low).toBeCloseTo(0.2 - margin, 12);
    expect(result.lift!.high).toBeCloseTo(0.2 + margin, 12);
    expect(result.lift!.low).toBeCloseTo(0.0776, 4); // 0.2 - 1.96 × √(0.0021 + 0.0018)
  });

  it('has no lift without a control group', () => {
    expect(only([shown('m', 1, 'a')]).lift).toBeNull();
    expect(only([heldOut('m', 1, 'a')])).toMatchObject({ uniqueViewers: 0, control: { size: 1 }, lift: null });
  });
});

describe('computeMetrics options', () => {
  it('names the bad option and the fix', () => {
    expect(() => computeMetrics([], { from: NaN, to: 1 })).toThrow('computeMetrics: from must be a time in epoch milliseconds, not NaN');
    expect(() => computeMetrics([], { from: 0, to: '2026' as unknown as number })).toThrow(/to must be a time/);
    expect(() => computeMetrics([], { from: 0, to: 1, goals: { m: { event: '', windowMs: 1 } } })).toThrow('goals["m"].event must be a non-empty event name');
    expect(() => computeMetrics([], { from: 0, to: 1, goals: { m: { event: 'x', windowMs: -1 } } })).toThrow('goals["m"].windowMs must be a number');
  });
});

/** METRICS.md read literally, one definition at a time, with no care for speed. */
function reference(events: BeckonEvent[], { from, to, goals = {} }: MetricsOptions): MessageMetrics[] {
  const time = (e: BeckonEvent) => Date.parse(e.timestamp);
  const valid = events.filter((e) => !Number.isNaN(time(e)));
  const links = new Map<string, { userId: string; t: number }>();
  for (const e of valid) {
    if (e.type !== 'identify') continue;
    const known = links.get(e.anonymousId);
    if (!known || time(e) < known.t) links.set(e.anonymousId, { userId: e.userId, t: time(e) });
  }
  const person = (e: BeckonEvent) =>
    e.userId ? `u:${e.userId}` : links.has(e.anonymousId) ? `u:${links.get(e.anonymousId)!.userId}` : `a:${e.anonymousId}`;
  const kinds = ['Message Shown', 'Message Clicked', 'Message Dismissed', 'Message Held Out'];
  const messageIdOf = (e: BeckonEvent) => (e.properties?.message_id as string);
  const messageEvents = valid.filter(
    (e) => e.type === 'track' && kinds.includes(e.event) && typeof e.properties?.message_id === 'string' && e.properties.message_id !== '' && time(e) >= from && time(e) < to,
  );
  const ids = [...new Set(messageEvents.map(messageIdOf))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return ids.map((id) => {
    const of = (name: string) => messageEvents.filter((e) => messageIdOf(e) === id && e.type === 'track' && e.event === name);
    const goal = Object.hasOwn(goals, id) ? goals[id]! : DEFAULT_GOAL;
    const isGoal = (e: BeckonEvent) => (goal.event === 'identify' ? e.type === 'identify' : e.type === 'track' && e.event === goal.event);
    const group = (list: BeckonEvent[]) => {
      const first = new Map<string, number>();
      for (const e of list) first.set(person(e), Math.min(first.get(person(e)) ?? Infinity, time(e)));
      const conversions = [...first].filter(([p, t0]) => valid.some((g) => isGoal(g) && person(g) === p && time(g) >= t0 && time(g) <= t0 + goal.windowMs)).length;
      return { size: first.size, conversions, conversionRate: first.size === 0 ? 0 : conversions / first.size };
    };
    const viewers = group(of('Message Shown'));
    const control = group(of('Message Held Out'));
    const clickers = new Set(of('Message Clicked').map(person)).size;
    let lift: MessageMetrics['lift'] = null;
    if (viewers.size > 0 && control.size > 0) {
      const [p1, p2] = [viewers.conversionRate, control.conversionRate];
      const margin = 1.96 * Math.sqrt((p1 * (1 - p1)) / viewers.size + (p2 * (1 - p2)) / control.size);
      lift = { value: p1 - p2, low: p1 - p2 - margin, high: p1 - p2 + margin };
    }
    return {
      messageId: id,
      impressions: of('Message Shown').length,
      uniqueViewers: viewers.size,
      clicks: of('Message Clicked').length,
      clickers,
      clickThroughRate: viewers.size === 0 ? 0 : clickers / viewers.size,
      dismissals: of('Message Dismissed').length,
      conversions: viewers.conversions,
      conversionRate: viewers.conversionRate,
      control,
      lift,
    };
  });
}

describe('computeMetrics against the definitions read literally', () => {
  const anon = fc.constantFrom('a1', 'a2', 'a3', 'a4', 'u1');
  const user = fc.option(fc.constantFrom('u1', 'u2', 'u3', 'a1'), { nil: undefined });
  const t = fc.oneof(fc.integer({ min: -2 * DAY, max: 12 * DAY }), fc.constantFrom(0, DAY, 10 * DAY));
  const timestamp = fc.oneof({ weight: 20, arbitrary: t.map((x) => iso(T0 + x)) }, { weight: 1, arbitrary: fc.constant('garbage') });
  const messageId = fc.oneof(fc.constantFrom('m1', 'm2', 'M1', 'constructor', ''), fc.constant(7));
  const trackEvent = fc.record({
    type: fc.constant('track' as const),
    event: fc.constantFrom('Message Shown', 'Message Clicked', 'Message Dismissed', 'Message Held Out', 'Signed Up', 'identify', 'Other'),
    messageId: fc.uuid(),
    anonymousId: anon,
    userId: user,
    timestamp,
    properties: fc.oneof({ weight: 9, arbitrary: fc.record({ message_id: messageId }) }, { weight: 1, arbitrary: fc.constant({}) }),
  });
  const identifyEvent = fc.record({
    type: fc.constant('identify' as const),
    messageId: fc.uuid(),
    anonymousId: anon,
    userId: fc.constantFrom('u1', 'u2', 'u3', 'a2'),
    timestamp,
  });
  const events = fc.array(fc.oneof({ weight: 4, arbitrary: trackEvent }, { weight: 1, arbitrary: identifyEvent }), { maxLength: 60 });
  const goals = fc.dictionary(
    fc.constantFrom('m1', 'm2', 'M1', 'constructor'),
    fc.record({ event: fc.constantFrom('identify', 'Signed Up', 'Message Clicked'), windowMs: fc.constantFrom(0, DAY, 3 * DAY, 7 * DAY) }),
  );

  it('gives exactly the same numbers on random events, ranges and goals', () => {
    fc.assert(
      fc.property(events, goals, t, fc.integer({ min: 0, max: 12 * DAY }), (list, goalMap, from, length) => {
        const options = { from: T0 + from, to: T0 + from + length, goals: goalMap };
        expect(computeMetrics(list as BeckonEvent[], options)).toEqual(reference(list as BeckonEvent[], options));
      }),
      { numRuns: 400 },
    );
  });
});

describe('computeMetrics per variant', () => {
  const withVariant = (event: BeckonEvent, variantId: unknown): BeckonEvent => ({ ...event, properties: { ...event.properties, variant_id: variantId } });

  it('counts each variant like a message of its own, keeps the control group whole, and leaves events without one in the totals only', () => {
    const result = only(
      [
        withVariant(shown('m', 1, 'a1'), 'red'),
        withVariant(shown('m', 2, 'a1'), 'red'),
        withVariant(clicked('m', 3, 'a1'), 'red'),
        withVariant(shown('m', 1, 'a2'), 'blue'),
        withVariant(dismissed('m', 2, 'a2'), 'blue'),
        withVariant(shown('m', 1, 'a3'), 'blue'),
        identify(DAY, 'a3', 'u3'),
        // Before the variants: in the totals, in no variant.
        shown('m', 1, 'a4'),
        withVariant(shown('m', 1, 'a5'), ''),
        withVariant(shown('m', 1, 'a6'), 7),
        // A held-out visitor names the variant they would have seen; the control group stays one group.
        withVariant(heldOut('m', 1, 'h1'), 'red'),
        withVariant(heldOut('m', 1, 'h2'), 'blue'),
        identify(DAY, 'h2', 'uh2'),
      ],
      { ...range, variants: { m: [{ id: 'red', weight: 1 }, { id: 'blue', weight: 1 }, { id: 'green', weight: 0 }] } },
    );
    expect(result).toMatchObject({ impressions: 7, uniqueViewers: 6, clicks: 1, dismissals: 1, conversions: 1, control: { size: 2, conversions: 1 } });
    expect(result.variants!.map(({ vsFirst: _first, vsControl: _control, ...counts }) => counts)).toEqual([
      { variantId: 'red', weight: 1, impressions: 2, uniqueViewers: 1, clicks: 1, clickers: 1, clickThroughRate: 1, dismissals: 0, conversions: 0, conversionRate: 0 },
      { variantId: 'blue', weight: 1, impressions: 2, uniqueViewers: 2, clicks: 0, clickers: 0, clickThroughRate: 0, dismissals: 1, conversions: 1, conversionRate: 0.5 },
      { variantId: 'green', weight: 0, impressions: 0, uniqueViewers: 0, clicks: 0, clickers: 0, clickThroughRate: 0, dismissals: 0, conversions: 0, conversionRate: 0 },
    ]);
    const [red, blue, green] = result.variants!;
    expect(red!.vsFirst).toBeNull();
    expect(blue!.vsFirst).toEqual(sequentialDifference({ size: 2, conversions: 1 }, { size: 1, conversions: 0 }));
    expect(blue!.vsControl).toEqual(sequentialDifference({ size: 2, conversions: 1 }, { size: 2, conversions: 1 }));
    expect(green!.vsFirst).toBeNull();
    // Weight 0 is left out of the split check: 1 against 2 viewers at 1:1.
    expect(result.sampleRatio).toEqual(sampleRatioMismatch([1, 2], [1, 1]));
  });

  it('orders variants as the catalog does, then others by id, and credits a person in each variant they saw', () => {
    const result = only(
      [
        withVariant(shown('m', 1, 'a1'), 'z-old'),
        withVariant(shown('m', 1, 'a1'), 'b'),
        withVariant(shown('m', 1, 'a2'), 'a'),
        withVariant(shown('m', 2, 'x'), 'b'),
        identify(3, 'x', 'a1-user'),
        identify(3, 'a1', 'a1-user'),
      ],
      { ...range, variants: { m: [{ id: 'b', weight: 3 }, { id: 'a', weight: 1 }] } },
    );
    expect(result.variants!.map((v) => [v.variantId, v.weight, v.uniqueViewers, v.conversions])).toEqual([
      ['b', 3, 1, 1],
      ['a', 1, 1, 0],
      ['z-old', undefined, 1, 1],
    ]);
    expect('weight' in result.variants![2]!).toBe(false);
  });

  it('has no variants for a message without them, and variants without a split check when the catalog gives no weights', () => {
    expect('variants' in only([shown('m', 1, 'a1')])).toBe(false);
    const seen = only([withVariant(shown('m', 1, 'a1'), 'a')]);
    expect(seen.variants!.map((v) => v.variantId)).toEqual(['a']);
    expect(seen.sampleRatio).toBeNull();
  });

  it('gives each variant the numbers its message would have with only that variant’s events, on random events', () => {
    const variantIds = ['a', 'b'];
    const arbitraryEvents = fc.array(
      fc.record({
        kind: fc.constantFrom<Array<'shown' | 'clicked' | 'dismissed'>>('shown', 'shown', 'clicked', 'dismissed'),
        t: fc.integer({ min: 0, max: 11 * DAY }),
        anon: fc.constantFrom('a1', 'a2', 'a3', 'a4'),
        variant: fc.constantFrom(...variantIds),
        identify: fc.option(fc.constantFrom('u1', 'u2'), { nil: undefined }),
      }),
      { maxLength: 40 },
    );
    // A person who saw variant a, then b a week later, then identified: a conversion for b only.
    const late = only(
      [withVariant(shown('m', 0, 'p'), 'a'), withVariant(shown('m', 7 * DAY, 'p'), 'b'), identify(8 * DAY, 'p', 'u')],
      range,
    );
    expect(late.variants!.map((v) => [v.variantId, v.conversions])).toEqual([['a', 0], ['b', 1]]);
    expect(late.conversions).toBe(0);
    fc.assert(
      fc.property(arbitraryEvents, (specs) => {
        const events = specs.map(({ kind, t, anon, variant, identify: userId }) =>
          userId ? identify(t, anon, userId) : withVariant({ shown, clicked, dismissed }[kind]('m', t, anon), variant),
        );
        // A one-day window, so a person's first show of one variant and of the message often convert differently.
        const options = { ...range, goals: { m: { event: 'identify', windowMs: DAY } } };
        const whole = computeMetrics(events, options)[0];
        for (const variantId of variantIds) {
          const alone = events.filter((event) => event.type === 'identify' || event.properties?.variant_id === variantId);
          const expected = computeMetrics(alone, options)[0];
          const actual = whole?.variants?.find((v) => v.variantId === variantId);
          if (!expected) {
            expect(actual).toBeUndefined();
            continue;
          }
          expect(actual).toMatchObject({
            impressions: expected.impressions,
            uniqueViewers: expected.uniqueViewers,
            clicks: expected.clicks,
            clickers: expected.clickers,
            dismissals: expected.dismissals,
            conversions: expected.conversions,
          });
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('computeMetrics trends (options.daily)', () => {
  const withVariant = (event: BeckonEvent, variantId: string): BeckonEvent => ({ ...event, properties: { ...event.properties, variant_id: variantId } });

  it('counts viewers and their conversions by the UTC day of their first show in range, one entry per day the range touches', () => {
    const options = { from: T0 + DAY / 2, to: T0 + 3 * DAY + 1, daily: true };
    const [m] = computeMetrics(
      [
        shown('m', DAY / 2, 'a1'),
        shown('m', DAY + 5, 'a1'),
        shown('m', DAY + 10, 'a2'),
        identify(2 * DAY, 'a2', 'u2'),
        withVariant(shown('m', 3 * DAY, 'a3'), 'b'),
        shown('m', DAY / 2 - 1, 'before'),
      ],
      options,
    );
    expect(m!.daily).toEqual({ viewers: [1, 1, 0, 1], conversions: [0, 1, 0, 0] });
    expect(m!.variants![0]!.daily).toEqual({ viewers: [0, 0, 0, 1], conversions: [0, 0, 0, 0] });
    expect('daily' in computeMetrics([shown('m', 1, 'a1')], range)[0]!).toBe(false);
  });

  it('adds up to the totals, for messages and variants, on random events', () => {
    const arbitraryEvents = fc.array(
      fc.record({
        t: fc.integer({ min: -DAY, max: 11 * DAY }),
        anon: fc.constantFrom('a1', 'a2', 'a3', 'a4', 'a5'),
        variant: fc.constantFrom('a', 'b', ''),
        identify: fc.boolean(),
      }),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(arbitraryEvents, fc.integer({ min: 0, max: 3 * DAY }), (specs, offset) => {
        const events = specs.map(({ t, anon, variant, identify: identifies }) =>
          identifies ? identify(t, anon, `u-${anon}`) : variant ? withVariant(shown('m', t, anon), variant) : shown('m', t, anon),
        );
        const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
        for (const m of computeMetrics(events, { from: T0 + offset, to: T0 + 9 * DAY + offset, daily: true })) {
          for (const counted of [m, ...(m.variants ?? []).map((v) => ({ ...v }))]) {
            expect(sum(counted.daily!.viewers)).toBe(counted.uniqueViewers);
            expect(sum(counted.daily!.conversions)).toBe(counted.conversions);
            expect(counted.daily!.viewers).toHaveLength(offset % DAY === 0 ? 9 : 10);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
