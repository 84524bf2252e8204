// Conversion metrics per message from raw events: one pass over the events, then per-person folding.
// The definitions are binding for the collector's SQL too (see README, "Metrics").
import { parseTime } from './time.js';
import type { BeckonEvent, MessageMetrics, MetricsGoal, MetricsOptions } from './types.js';

/** The goal of a message the caller gave none for: an identify within 7 days. */
export const DEFAULT_GOAL: MetricsGoal = { event: 'identify', windowMs: 7 * 24 * 60 * 60 * 1000 };

const SHOWN = 0;
const CLICKED = 1;
const DISMISSED = 2;
const HELD_OUT = 3;
const KINDS = new Map([
  ['Message Shown', SHOWN],
  ['Message Clicked', CLICKED],
  ['Message Dismissed', DISMISSED],
  ['Message Held Out', HELD_OUT],
]);

/** Per message, keyed by raw references (a user id or a not-yet-resolved anonymous id). */
interface Tally {
  impressions: number;
  clicks: number;
  dismissals: number;
  firstShown: Map<number, number>;
  clicked: Set<number>;
  firstHeldOut: Map<number, number>;
}

/** First index in the sorted `times` at or after `t`. */
function lowerBound(times: number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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
  const goalNames = new Set([DEFAULT_GOAL.event, ...Object.values(goals).map((g) => g.event)]);

  // People as small integers: user ids are >= 0, anonymous ids < 0, so the two can never be equal.
  const users = new Map<string, number>();
  const anons = new Map<string, number>();
  const anonNames: string[] = [];
  const userRef = (userId: string) => {
    let ref = users.get(userId);
    if (ref === undefined) users.set(userId, (ref = users.size));
    return ref;
  };
  const refOf = (event: BeckonEvent) => {
    if (event.userId) return userRef(event.userId);
    let index = anons.get(event.anonymousId);
    if (index === undefined) anons.set(event.anonymousId, (index = anonNames.push(event.anonymousId) - 1));
    return -1 - index;
  };

  const links = new Map<string, { userId: string; t: number }>();
  const tallies = new Map<string, Tally>();
  const goalEvents = new Map<string, { refs: number[]; times: number[] }>();
  const recordGoal = (name: string, ref: number, t: number) => {
    let list = goalEvents.get(name);
    if (!list) goalEvents.set(name, (list = { refs: [], times: [] }));
    list.refs.push(ref);
    list.times.push(t);
  };

  for (const event of events) {
    if (event.type === 'identify') {
      const t = parseTime(event.timestamp);
      if (Number.isNaN(t)) continue;
      const link = links.get(event.anonymousId);
      // The earliest identify of an anonymous id decides whose it is (ties: the first one given).
      if (event.userId && (!link || t < link.t)) links.set(event.anonymousId, { userId: event.userId, t });
      if (t >= from) recordGoal('identify', refOf(event), t);
      continue;
    }
    if (event.type !== 'track') continue;
    const name = event.event;
    const kind = KINDS.get(name);
    // A track event named "identify" is never the identify goal.
    const goal = name !== 'identify' && goalNames.has(name);
    // Most events are neither: they are skipped before their timestamp is read.
    if (kind === undefined && !goal) continue;
    const t = parseTime(event.timestamp);
    // A goal can only follow a first show at or after `from`, so earlier goal events never count.
    if (!(t >= from)) continue;
    if (goal) recordGoal(name, refOf(event), t);
    if (kind === undefined || t >= to) continue;
    const messageId = event.properties?.message_id;
    if (typeof messageId !== 'string' || messageId === '') continue;
    let tally = tallies.get(messageId);
    if (!tally) {
      tally = { impressions: 0, clicks: 0, dismissals: 0, firstShown: new Map(), clicked: new Set(), firstHeldOut: new Map() };
      tallies.set(messageId, tally);
    }
    // Dismissals are only counted, so they skip the lookup of who it was.
    if (kind === DISMISSED) {
      tally.dismissals++;
      continue;
    }
    const ref = refOf(event);
    if (kind === CLICKED) {
      tally.clicks++;
      tally.clicked.add(ref);
      continue;
    }
    if (kind === SHOWN) tally.impressions++;
    const firstTimes = kind === SHOWN ? tally.firstShown : tally.firstHeldOut;
    const first = firstTimes.get(ref);
    if (first === undefined || t < first) firstTimes.set(ref, t);
  }

  // Anonymous ids linked by an identify belong to that user, before and after the identify.
  const resolved: number[] = [];
  const personOf = (ref: number): number => {
    if (ref >= 0) return ref;
    let person = resolved[-1 - ref];
    if (person === undefined) {
      const link = links.get(anonNames[-1 - ref]!);
      resolved[-1 - ref] = person = link ? userRef(link.userId) : ref;
    }
    return person;
  };

  // Goal times per goal name and person, sorted for binary search.
  const goalTimes = new Map<string, Map<number, number[]>>();
  for (const [name, { refs, times }] of goalEvents) {
    const byPerson = new Map<number, number[]>();
    for (let i = 0; i < refs.length; i++) {
      const person = personOf(refs[i]!);
      const list = byPerson.get(person);
      if (list) list.push(times[i]!);
      else byPerson.set(person, [times[i]!]);
    }
    for (const list of byPerson.values()) list.sort((a, b) => a - b);
    goalTimes.set(name, byPerson);
  }

  /** Folds raw first times into persons, then counts those with a goal event in [t0, t0 + window]. */
  const group = (firstTimes: Map<number, number>, goal: MetricsGoal) => {
    const first = new Map<number, number>();
    for (const [ref, t] of firstTimes) {
      const person = personOf(ref);
      const known = first.get(person);
      if (known === undefined || t < known) first.set(person, t);
    }
    const byPerson = goalTimes.get(goal.event);
    let conversions = 0;
    for (const [person, t0] of first) {
      const times = byPerson?.get(person);
      if (!times) continue;
      const i = lowerBound(times, t0);
      if (i < times.length && times[i]! <= t0 + goal.windowMs) conversions++;
    }
    const size = first.size;
    return { size, conversions, conversionRate: size === 0 ? 0 : conversions / size };
  };

  const results: MessageMetrics[] = [];
  for (const messageId of [...tallies.keys()].sort()) {
    const tally = tallies.get(messageId)!;
    const goal = goalOf(messageId);
    const viewers = group(tally.firstShown, goal);
    const control = group(tally.firstHeldOut, goal);
    const clickers = new Set([...tally.clicked].map(personOf)).size;
    results.push({
      messageId,
      impressions: tally.impressions,
      uniqueViewers: viewers.size,
      clicks: tally.clicks,
      clickers,
      clickThroughRate: viewers.size === 0 ? 0 : clickers / viewers.size,
      dismissals: tally.dismissals,
      conversions: viewers.conversions,
      conversionRate: viewers.conversionRate,
      control,
      lift: lift(viewers, control),
    });
  }
  return results;
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
