// Turns the aggregates every engine's metrics SQL returns into METRICS.md's numbers, the same way
// for every engine: the SQL counts, this file adds up, divides, computes lift, builds the variants
// with @beckon/tracking's own statistics (variantMetrics), and sorts.
import {
  DEFAULT_GOAL,
  lift,
  trendDays,
  variantMetrics,
  type DailyCounts,
  type MessageMetrics,
  type MetricsGoal,
  type VariantCounts,
} from '@beckon/tracking';
import type { ExperimentOptions } from '../storage/contract.js';
import { MESSAGE_KIND } from '../storage/rows.js';

/**
 * Per message, kind of message event in range and variant (null: events that name none): how many events, and
 * how many people had one. A person in several of a message's groups (see ConvertedRow's `mixed`) counts in each.
 */
export interface CountsRow {
  message_id: string;
  kind: number;
  variant_id: string | null;
  events: number;
  people: number;
}

/**
 * Per message and kind, for the people whose first one in range is followed by the message's goal within its window
 * (shown and held out), grouped by `variant`: the one variant all their events of that kind named, or null. A
 * person whose events named several variants, or some none, is in several CountsRow groups: they get a row of
 * their own with `mixed` set to who they are, converted or not, for MixedRow. With trends asked for, every shown
 * or held-out person (not only converters), by the UTC day of their first one (`day`, days since the epoch).
 */
export interface ConvertedRow {
  message_id: string;
  kind: number;
  variant: string | null;
  mixed: string | number | null;
  day?: number;
  people: number;
  conversions: number;
}

/**
 * For the people of `mixed` rows, per message, kind and variant (null: none): how many of them are in that group
 * and, for shows of a variant, how many reached the goal after their first show of that variant (by its day).
 */
export interface MixedRow {
  message_id: string;
  kind: number;
  variant_id: string | null;
  day?: number;
  people: number;
  conversions: number;
}

/** What an engine's metrics statements return, in one read snapshot. */
export interface MetricsRows {
  counts: readonly CountsRow[];
  converted: readonly ConvertedRow[];
  mixed: readonly MixedRow[];
}

const { shown: SHOWN, clicked: CLICKED, dismissed: DISMISSED, heldOut: HELD_OUT } = MESSAGE_KIND;

/** The `goal` column value an event has when it is this goal: `identify`, or `t:` + track event name. */
export const goalKey = (event: string): string => (event === 'identify' ? 'identify' : `t:${event}`);

/** The goals as the SQL reads them: `{ messageId: [goal column value, window ms] }` as JSON, plus the default. */
export function goalParameters(goals: Readonly<Record<string, MetricsGoal>>): { goals: string; defaultGoal: string; defaultWindow: number } {
  return {
    goals: JSON.stringify(Object.fromEntries(Object.entries(goals).map(([id, g]) => [id, [goalKey(g.event), g.windowMs]]))),
    defaultGoal: goalKey(DEFAULT_GOAL.event),
    defaultWindow: DEFAULT_GOAL.windowMs,
  };
}

const ratio = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);
const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Daily viewers and conversions over `days` days from `firstDay`, filled as rows arrive. */
class Daily {
  readonly viewers: number[];
  readonly conversions: number[];
  constructor(
    private readonly firstDay: number,
    days: number,
  ) {
    this.viewers = Array<number>(days).fill(0);
    this.conversions = Array<number>(days).fill(0);
  }

  add(day: number, people: number, conversions: number): void {
    this.viewers[day - this.firstDay]! += people;
    this.conversions[day - this.firstDay]! += conversions;
  }

  get counts(): DailyCounts {
    return { viewers: this.viewers, conversions: this.conversions };
  }
}

/**
 * Whether nobody's events named two variants of a message (or one and none): then the people of each message's
 * variant groups (CountsRow) add up to its distinct people of that kind, given per message and kind in `people`.
 */
export function nobodyMixed(counts: readonly CountsRow[], people: ReadonlyArray<{ message_id: string; kind: number; people: number }>): boolean {
  const key = (row: { message_id: string; kind: number }) => `${Number(row.kind)}:${row.message_id}`;
  const grouped = new Map<string, number>();
  for (const row of counts) grouped.set(key(row), (grouped.get(key(row)) ?? 0) + Number(row.people));
  const distinct = new Map<string, number>();
  for (const row of people) distinct.set(key(row), (distinct.get(key(row)) ?? 0) + Number(row.people));
  return [...grouped].every(([k, n]) => distinct.get(k) === n);
}

/** The (message, kind, person) of each `mixed` row, as the second statement reads them (JSON). */
export function mixedPeople(rows: readonly ConvertedRow[]): Array<[string, number, string | number]> {
  return rows.flatMap((row) => (row.mixed === null ? [] : [[row.message_id, Number(row.kind), row.mixed] as [string, number, string | number]]));
}

/**
 * The metrics of every message with an event in range, sorted by message id as computeMetrics sorts; per variant
 * for a message the catalog gives variants or whose events name one.
 */
export function assembleMetrics(rows: MetricsRows, range: { from: number; to: number }, options: ExperimentOptions = {}): MessageMetrics[] {
  const { firstDay, days } = options.daily ? trendDays(range.from, range.to) : { firstDay: 0, days: 0 };
  type Variant = VariantCounts & { tally?: Daily };
  type Tally = { events: number[]; people: number[]; conversions: number[]; daily?: Daily; variants: Map<string, Variant> };
  const byMessage = new Map<string, Tally>();
  const entry = (id: string): Tally => {
    let found = byMessage.get(id);
    if (!found) byMessage.set(id, (found = { events: [0, 0, 0, 0], people: [0, 0, 0, 0], conversions: [0, 0, 0, 0], variants: new Map() }));
    return found;
  };
  const variant = (messageId: string, variantId: string): Variant => {
    const variants = entry(messageId).variants;
    let found = variants.get(variantId);
    if (!found) {
      found = { variantId, impressions: 0, viewers: 0, clicks: 0, clickers: 0, dismissals: 0, conversions: 0 };
      if (days) found.tally = new Daily(firstDay, days);
      variants.set(variantId, found);
    }
    return found;
  };
  for (const row of rows.counts) {
    const [kind, events, people] = [Number(row.kind), Number(row.events), Number(row.people)];
    const message = entry(row.message_id);
    message.events[kind]! += events;
    message.people[kind]! += people;
    if (row.variant_id === null) continue;
    const counts = variant(row.message_id, row.variant_id);
    if (kind === SHOWN) [counts.impressions, counts.viewers] = [events, people];
    else if (kind === CLICKED) [counts.clicks, counts.clickers] = [events, people];
    else if (kind === DISMISSED) counts.dismissals = events;
  }
  for (const row of rows.converted) {
    const [kind, people, conversions] = [Number(row.kind), Number(row.people), Number(row.conversions)];
    const message = entry(row.message_id);
    message.conversions[kind]! += conversions;
    // A person in several groups was counted in each: once is right.
    if (row.mixed !== null) message.people[kind]! += 1;
    if (days && kind === SHOWN) (message.daily ??= new Daily(firstDay, days)).add(Number(row.day), people, conversions);
    if (row.variant === null) continue;
    const counts = variant(row.message_id, row.variant);
    counts.conversions += conversions;
    counts.tally?.add(Number(row.day), people, conversions);
  }
  for (const row of rows.mixed) {
    const kind = Number(row.kind);
    entry(row.message_id).people[kind]! -= Number(row.people);
    if (row.variant_id === null || kind !== SHOWN) continue;
    const counts = variant(row.message_id, row.variant_id);
    counts.conversions += Number(row.conversions);
    counts.tally?.add(Number(row.day), Number(row.people), Number(row.conversions));
  }
  const metrics = [...byMessage].map(([messageId, { events, people, conversions, daily, variants }]): MessageMetrics => {
    const viewers = { size: people[SHOWN]!, conversions: conversions[SHOWN]!, conversionRate: ratio(conversions[SHOWN]!, people[SHOWN]!) };
    const control = { size: people[HELD_OUT]!, conversions: conversions[HELD_OUT]!, conversionRate: ratio(conversions[HELD_OUT]!, people[HELD_OUT]!) };
    const catalog = options.variants && Object.hasOwn(options.variants, messageId) ? options.variants[messageId] : undefined;
    const counted = [...variants.values()].map(({ tally, ...counts }): VariantCounts => (tally ? { ...counts, daily: tally.counts } : counts));
    return {
      messageId,
      impressions: events[SHOWN]!,
      uniqueViewers: viewers.size,
      clicks: events[CLICKED]!,
      clickers: people[CLICKED]!,
      clickThroughRate: ratio(people[CLICKED]!, viewers.size),
      dismissals: events[DISMISSED]!,
      conversions: viewers.conversions,
      conversionRate: viewers.conversionRate,
      control,
      lift: lift(viewers, control),
      ...(days ? { daily: (daily ?? new Daily(firstDay, days)).counts } : {}),
      ...(counted.length || catalog ? variantMetrics(counted, control, catalog, days) : {}),
    };
  });
  // JavaScript string order (UTF-16 code units), as computeMetrics sorts; databases may sort otherwise.
  return metrics.sort((a, b) => byId(a.messageId, b.messageId));
}
