// Turns the two aggregates every engine's metrics SQL returns into METRICS.md's numbers, the same way
// for every engine: the SQL counts, this file divides, computes lift and sorts.
import { DEFAULT_GOAL, lift, type MessageMetrics, type MetricsGoal } from '@beckon/tracking';
import { MESSAGE_KIND } from '../storage/rows.js';

/** Per message and kind of message event in range: how many events, and how many people had one. */
export interface CountsRow {
  message_id: string;
  kind: number;
  events: number;
  people: number;
}

/** Per message and kind (shown or held out): people who reached the goal within its window after their first one. */
export interface ConversionsRow {
  message_id: string;
  kind: number;
  conversions: number;
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

/** The metrics of every message with an event in range, sorted by message id as computeMetrics sorts. */
export function assembleMetrics(countRows: readonly CountsRow[], conversionRows: readonly ConversionsRow[]): MessageMetrics[] {
  const byMessage = new Map<string, { events: number[]; people: number[]; conversions: number[] }>();
  const entry = (id: string) => {
    let found = byMessage.get(id);
    if (!found) byMessage.set(id, (found = { events: [0, 0, 0, 0], people: [0, 0, 0, 0], conversions: [0, 0, 0, 0] }));
    return found;
  };
  for (const row of countRows) {
    entry(row.message_id).events[row.kind] = Number(row.events);
    entry(row.message_id).people[row.kind] = Number(row.people);
  }
  for (const row of conversionRows) entry(row.message_id).conversions[row.kind] = Number(row.conversions);
  const metrics = [...byMessage].map(([messageId, { events, people, conversions }]): MessageMetrics => {
    const viewers = { size: people[SHOWN]!, conversions: conversions[SHOWN]!, conversionRate: ratio(conversions[SHOWN]!, people[SHOWN]!) };
    const control = { size: people[HELD_OUT]!, conversions: conversions[HELD_OUT]!, conversionRate: ratio(conversions[HELD_OUT]!, people[HELD_OUT]!) };
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
    };
  });
  // JavaScript string order (UTF-16 code units), as computeMetrics sorts; databases may sort otherwise.
  return metrics.sort((a, b) => (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0));
}
