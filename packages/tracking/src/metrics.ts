// Conversion metrics per message from raw events: one pass over the events that interns who did what
// into integers and appends it to flat logs, then identity merging and counting per person.
// The definitions are binding for the collector's SQL too (see README, "Metrics").
import { GoalLog, GoalTimes } from './metrics-goals.js';
import { groupByPerson, personsOf } from './metrics-group.js';
import { People, type PersonOf } from './metrics-people.js';
import { variantMetrics, type VariantCounts } from './metrics-variants.js';
import { parseTime } from './time.js';
import type { BeckonEvent, DailyCounts, MessageMetrics, MetricsGoal, MetricsOptions } from './types.js';

/** The goal of a message the caller gave none for: an identify within 7 days. */
export const DEFAULT_GOAL: MetricsGoal = { event: 'identify', windowMs: 7 * 24 * 60 * 60 * 1000 };

const NONE = -1;
const SHOWN = 0;
const CLICKED = 1;
const DISMISSED = 2;
const HELD_OUT = 3;
const MESSAGE_KINDS: Array<[string, number]> = [
  ['Message Shown', SHOWN],
  ['Message Clicked', CLICKED],
  ['Message Dismissed', DISMISSED],
  ['Message Held Out', HELD_OUT],
];

/** What a track event of some name means here: which message event it is and which goal, if any. */
interface TrackMeaning {
  kind: number;
  goal: number;
}

/** One lookup per track event tells both whether it is a message event and whether it is a goal. */
function trackMeanings(goalNames: string[]): Map<string, TrackMeaning> {
  const meanings = new Map<string, TrackMeaning>();
  for (const [name, kind] of MESSAGE_KINDS) meanings.set(name, { kind, goal: NONE });
  goalNames.forEach((name, goal) => {
    // A track event named "identify" is never the identify goal.
    if (name !== 'identify') meanings.set(name, { kind: meanings.get(name)?.kind ?? NONE, goal });
  });
  return meanings;
}

/** Message ids as dense indexes, with the counters that need no person. */
class Messages {
  readonly ids: string[] = [];
  readonly impressions: number[] = [];
  readonly clicks: number[] = [];
  readonly dismissals: number[] = [];
  private readonly indexes = new Map<string, number>();

  indexOf(messageId: string): number {
    let index = this.indexes.get(messageId);
    if (index === undefined) {
      this.indexes.set(messageId, (index = this.ids.push(messageId) - 1));
      this.impressions.push(0);
      this.clicks.push(0);
      this.dismissals.push(0);
    }
    return index;
  }
}

/** The variants seen, as dense indexes over (message, variant id), with the counters that need no person. */
class Variants {
  readonly message: number[] = [];
  readonly ids: string[] = [];
  readonly impressions: number[] = [];
  readonly clicks: number[] = [];
  readonly dismissals: number[] = [];
  private readonly byMessage: Array<Map<string, number> | undefined> = [];

  indexOf(message: number, variantId: string): number {
    const indexes = (this.byMessage[message] ??= new Map());
    let index = indexes.get(variantId);
    if (index === undefined) {
      indexes.set(variantId, (index = this.ids.push(variantId) - 1));
      this.message.push(message);
      this.impressions.push(0);
      this.clicks.push(0);
      this.dismissals.push(0);
    }
    return index;
  }
}

/**
 * Shows, hold-outs and clicks in range, appended in scan order: who (a ref), what (message index and
 * kind in one number, `message * 4 + kind`), the variant index (NONE without one) and when.
 */
class VisitLog {
  readonly who: number[] = [];
  readonly what: number[] = [];
  readonly variant: number[] = [];
  readonly times: number[] = [];

  add(who: number, message: number, kind: number, variant: number, t: number): void {
    this.who.push(who);
    this.what.push(message * 4 + kind);
    this.variant.push(variant);
    this.times.push(t);
  }
}

/** The one pass over the events. */
interface Scan {
  people: People;
  messages: Messages;
  variants: Variants;
  visits: VisitLog;
  goalLogs: GoalLog[];
}

function scan(events: Iterable<BeckonEvent>, from: number, to: number, goalNames: string[]): Scan {
  const people = new People();
  const messages = new Messages();
  const variants = new Variants();
  const visits = new VisitLog();
  const goalLogs = goalNames.map(() => new GoalLog());
  const meanings = trackMeanings(goalNames);
  const identifyGoal = goalLogs[goalNames.indexOf('identify')]!;
  for (const event of events) {
    const type = event.type;
    if (type === 'identify') {
      const t = parseTime(event.timestamp);
      if (Number.isNaN(t)) continue;
      if (event.userId) people.link(event.anonymousId, event.userId, t);
      if (t >= from) identifyGoal.add(people.refOf(event), t);
      continue;
    }
    if (type !== 'track') continue;
    // Most events are neither message events nor goals: they are skipped before their timestamp is read.
    const meaning = meanings.get(event.event);
    if (meaning === undefined) continue;
    const t = parseTime(event.timestamp);
    // A goal can only follow a first show at or after `from`, so earlier goal events never count.
    if (!(t >= from)) continue;
    const { kind, goal } = meaning;
    const ref = goal === NONE ? NONE : people.refOf(event);
    if (goal !== NONE) goalLogs[goal]!.add(ref, t);
    if (kind === NONE || t >= to) continue;
    const properties = event.properties;
    const messageId = properties?.message_id;
    if (typeof messageId !== 'string' || messageId === '') continue;
    const message = messages.indexOf(messageId);
    // The control group is one whole beside the variants: a hold-out's variant (the one it would have seen) is not read.
    const variantId = kind === HELD_OUT ? undefined : properties!.variant_id;
    const variant = typeof variantId === 'string' && variantId !== '' ? variants.indexOf(message, variantId) : NONE;
    if (kind === SHOWN) {
      messages.impressions[message]!++;
      if (variant !== NONE) variants.impressions[variant]!++;
    } else if (kind === CLICKED) {
      messages.clicks[message]!++;
      if (variant !== NONE) variants.clicks[variant]!++;
    } else if (kind === DISMISSED) {
      // Dismissals are only counted, so they skip the lookup of who it was.
      messages.dismissals[message]!++;
      if (variant !== NONE) variants.dismissals[variant]!++;
      continue;
    }
    visits.add(ref === NONE ? people.refOf(event) : ref, message, kind, variant, t);
  }
  return { people, messages, variants, visits, goalLogs };
}

/** Per message: viewers, clickers and the control group, with their conversions; per variant: viewers, clickers, conversions. */
interface PersonCounts {
  viewers: Int32Array;
  conversions: Int32Array;
  clickers: Int32Array;
  held: Int32Array;
  heldConversions: Int32Array;
  variantViewers: Int32Array;
  variantConversions: Int32Array;
  variantClickers: Int32Array;
  /** With `days`: viewers and conversions by the UTC day of the first show, `[message * days + day]` (variants alike). */
  dailyViewers: Int32Array;
  dailyConversions: Int32Array;
  variantDailyViewers: Int32Array;
  variantDailyConversions: Int32Array;
}

const DAY_MS = 86_400_000;

/** The days counted for trends: the index (days since the epoch) of `from`'s UTC day, and how many UTC days [from, to) touches. */
export function trendDays(from: number, to: number): { firstDay: number; days: number } {
  const firstDay = Math.floor(from / DAY_MS);
  return { firstDay, days: Math.max(0, Math.floor((to - 1) / DAY_MS) - firstDay + 1) };
}

/**
 * Walks the visits person by person: per message, the person's first show and first hold-out and
 * whether they clicked, then whether they reached the message's goal after each first time.
 */
function countPersons(
  visits: VisitLog,
  personOf: PersonOf,
  people: number,
  messageCount: number,
  variantMessage: number[],
  goalTimesOf: GoalTimes[],
  windows: number[],
  trends: { firstDay: number; days: number },
): PersonCounts {
  const variantCount = variantMessage.length;
  const { firstDay, days } = trends;
  const counts: PersonCounts = {
    viewers: new Int32Array(messageCount),
    conversions: new Int32Array(messageCount),
    clickers: new Int32Array(messageCount),
    held: new Int32Array(messageCount),
    heldConversions: new Int32Array(messageCount),
    variantViewers: new Int32Array(variantCount),
    variantConversions: new Int32Array(variantCount),
    variantClickers: new Int32Array(variantCount),
    dailyViewers: new Int32Array(messageCount * days),
    dailyConversions: new Int32Array(messageCount * days),
    variantDailyViewers: new Int32Array(variantCount * days),
    variantDailyConversions: new Int32Array(variantCount * days),
  };
  const { start, order } = groupByPerson(personsOf(visits.who, personOf), people);
  // Gathered into person order first, in tight loops whose reads do not wait on each other.
  const what = new Int32Array(order.length);
  const times = new Float64Array(order.length);
  for (let k = 0; k < order.length; k++) {
    what[k] = visits.what[order[k]!]!;
    times[k] = visits.times[order[k]!]!;
  }
  const variants = variantCount ? new Int32Array(order.length) : undefined;
  if (variants) for (let k = 0; k < order.length; k++) variants[k] = visits.variant[order[k]!]!;
  // The current person's state per message; `owner` says whose it is, so nothing is cleared between people.
  const owner = new Int32Array(messageCount).fill(NONE);
  const firstShown = new Float64Array(messageCount);
  const firstHeldOut = new Float64Array(messageCount);
  const clicked = new Uint8Array(messageCount);
  const touched: number[] = [];
  // The same per variant, when there are any.
  const variantOwner = new Int32Array(variantCount).fill(NONE);
  const variantFirstShown = new Float64Array(variantCount);
  const variantClicked = new Uint8Array(variantCount);
  const touchedVariants: number[] = [];
  for (let person = 0; person < people; person++) {
    for (let k = start[person]!; k < start[person + 1]!; k++) {
      const m = what[k]! >> 2;
      if (owner[m] !== person) {
        owner[m] = person;
        firstShown[m] = firstHeldOut[m] = Infinity;
        clicked[m] = 0;
        touched.push(m);
      }
      const kind = what[k]! & 3;
      const t = times[k]!;
      if (kind === CLICKED) clicked[m] = 1;
      else if (kind === SHOWN) firstShown[m] = Math.min(firstShown[m]!, t);
      else firstHeldOut[m] = Math.min(firstHeldOut[m]!, t);
      const v = variants ? variants[k]! : NONE;
      if (v === NONE) continue;
      if (variantOwner[v] !== person) {
        variantOwner[v] = person;
        variantFirstShown[v] = Infinity;
        variantClicked[v] = 0;
        touchedVariants.push(v);
      }
      if (kind === CLICKED) variantClicked[v] = 1;
      else variantFirstShown[v] = Math.min(variantFirstShown[v]!, t);
    }
    for (const m of touched) {
      if (firstShown[m] !== Infinity) {
        counts.viewers[m]!++;
        const converted = goalTimesOf[m]!.reachedWithin(person, firstShown[m]!, windows[m]!);
        if (converted) counts.conversions[m]!++;
        if (days) {
          const at = m * days + Math.floor(firstShown[m]! / DAY_MS) - firstDay;
          counts.dailyViewers[at]!++;
          if (converted) counts.dailyConversions[at]!++;
        }
      }
      if (firstHeldOut[m] !== Infinity) {
        counts.held[m]!++;
        if (goalTimesOf[m]!.reachedWithin(person, firstHeldOut[m]!, windows[m]!)) counts.heldConversions[m]!++;
      }
      counts.clickers[m]! += clicked[m]!;
    }
    touched.length = 0;
    for (const v of touchedVariants) {
      const m = variantMessage[v]!;
      if (variantFirstShown[v] !== Infinity) {
        counts.variantViewers[v]!++;
        const converted = goalTimesOf[m]!.reachedWithin(person, variantFirstShown[v]!, windows[m]!);
        if (converted) counts.variantConversions[v]!++;
        if (days) {
          const at = v * days + Math.floor(variantFirstShown[v]! / DAY_MS) - firstDay;
          counts.variantDailyViewers[at]!++;
          if (converted) counts.variantDailyConversions[at]!++;
        }
      }
      counts.variantClickers[v]! += variantClicked[v]!;
    }
    touchedVariants.length = 0;
  }
  return counts;
}

function checkOptions({ from, to, goals }: MetricsOptions): void {
  if (!Number.isFinite(from)) throw new TypeError(`computeMetrics: from must be a time in epoch milliseconds, not ${String(from)}`);
  if (!Number.isFinite(to)) throw new TypeError(`computeMetrics: to must be a time in epoch milliseconds, not ${String(to)}`);
  for (const [id, goal] of Object.entries(goals ?? {})) {
    if (typeof goal?.event !== 'string' || goal.event === '') throw new TypeError(`computeMetrics: goals["${id}"].event must be a non-empty event name such as "identify"`);
    if (!(goal.windowMs >= 0) || !Number.isFinite(goal.windowMs)) throw new TypeError(`computeMetrics: goals["${id}"].windowMs must be a number of milliseconds >= 0`);
  }
}

/**
 * Impressions, viewers, clicks, dismissals, conversions, control group and lift per message, over the
 * message events in [from, to). Pure; accepts any iterable, so a database cursor can stream into it.
 */
export function computeMetrics(events: Iterable<BeckonEvent>, options: MetricsOptions): MessageMetrics[] {
  checkOptions(options);
  const { from, to } = options;
  const goals = options.goals ?? {};
  const goalOf = (messageId: string): MetricsGoal => (Object.hasOwn(goals, messageId) ? goals[messageId]! : DEFAULT_GOAL);
  const goalNames = [...new Set([DEFAULT_GOAL.event, ...Object.values(goals).map((g) => g.event)])];

  const { people, messages, variants, visits, goalLogs } = scan(events, from, to, goalNames);
  // Anonymous ids linked by an identify belong to that user, before and after the identify.
  const { personOf, count } = people.resolve();
  const goalTimes = goalLogs.map((log) => new GoalTimes(log, personOf, count));
  const messageGoals = messages.ids.map(goalOf);
  const goalTimesOf = messageGoals.map((goal) => goalTimes[goalNames.indexOf(goal.event)]!);
  const windows = messageGoals.map((goal) => goal.windowMs);
  const trends = options.daily ? trendDays(from, to) : { firstDay: 0, days: 0 };
  const counts = countPersons(visits, personOf, count, messages.ids.length, variants.message, goalTimesOf, windows, trends);
  const { days } = trends;
  /** The daily counts of entry `i` of two flat arrays, or nothing without `options.daily`. */
  const dailyOf = (viewers: Int32Array, conversions: Int32Array, i: number): { daily?: DailyCounts } =>
    days ? { daily: { viewers: [...viewers.subarray(i * days, (i + 1) * days)], conversions: [...conversions.subarray(i * days, (i + 1) * days)] } } : {};
  const variantCounts = messages.ids.map((): VariantCounts[] => []);
  variants.ids.forEach((variantId, v) =>
    variantCounts[variants.message[v]!]!.push({
      variantId,
      impressions: variants.impressions[v]!,
      viewers: counts.variantViewers[v]!,
      clicks: variants.clicks[v]!,
      clickers: counts.variantClickers[v]!,
      dismissals: variants.dismissals[v]!,
      conversions: counts.variantConversions[v]!,
      ...dailyOf(counts.variantDailyViewers, counts.variantDailyConversions, v),
    }),
  );

  const rate = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);
  const order = messages.ids.map((_, i) => i).sort((a, b) => (messages.ids[a]! < messages.ids[b]! ? -1 : 1));
  return order.map((m): MessageMetrics => {
    const viewers = { size: counts.viewers[m]!, conversionRate: rate(counts.conversions[m]!, counts.viewers[m]!) };
    const control = { size: counts.held[m]!, conversions: counts.heldConversions[m]!, conversionRate: rate(counts.heldConversions[m]!, counts.held[m]!) };
    const messageId = messages.ids[m]!;
    const catalogVariants = options.variants && Object.hasOwn(options.variants, messageId) ? options.variants[messageId] : undefined;
    const experiment = variantCounts[m]!.length || catalogVariants ? variantMetrics(variantCounts[m]!, control, catalogVariants, days) : {};
    return {
      messageId,
      impressions: messages.impressions[m]!,
      uniqueViewers: viewers.size,
      clicks: messages.clicks[m]!,
      clickers: counts.clickers[m]!,
      clickThroughRate: rate(counts.clickers[m]!, viewers.size),
      dismissals: messages.dismissals[m]!,
      conversions: counts.conversions[m]!,
      conversionRate: viewers.conversionRate,
      control,
      lift: lift(viewers, control),
      ...dailyOf(counts.dailyViewers, counts.dailyConversions, m),
      ...experiment,
    };
  });
}

/** Difference of conversion rates with a 95% Wald interval; null when either group is empty. */
export function lift(viewers: { size: number; conversionRate: number }, control: { size: number; conversionRate: number }): MessageMetrics['lift'] {
  if (viewers.size === 0 || control.size === 0) return null;
  const p1 = viewers.conversionRate;
  const p2 = control.conversionRate;
  const value = p1 - p2;
  const margin = 1.96 * Math.sqrt((p1 * (1 - p1)) / viewers.size + (p2 * (1 - p2)) / control.size);
  return { value, low: value - margin, high: value + margin };
}
