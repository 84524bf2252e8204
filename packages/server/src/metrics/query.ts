import { DEFAULT_GOAL, lift, type MessageMetrics, type MetricsGoal } from '@beckon/tracking';
import type { BeckonDatabase } from '../db/database.js';
import { MESSAGE_KIND } from '../db/schema.js';

/** A time range [from, to) in epoch milliseconds. */
export interface TimeRange {
  from: number;
  to: number;
}

/** Computes per-message metrics over a range (METRICS.md) from the stored events. */
export type MetricsQuery = (range: TimeRange, goals: Readonly<Record<string, MetricsGoal>>) => MessageMetrics[];

interface CountsRow {
  message_id: string;
  kind: number;
  events: number;
  people: number;
}

interface ConversionsRow {
  message_id: string;
  kind: number;
  conversions: number;
}

const { shown: SHOWN, clicked: CLICKED, dismissed: DISMISSED, heldOut: HELD_OUT } = MESSAGE_KIND;

// Per message and kind of message event in range: how many events, and how many people had one.
// Served by the covering index events_by_message (message_id, kind, person, time_ms).
const COUNTS_SQL = `
  SELECT message_id, kind, COUNT(*) AS events, COUNT(DISTINCT person) AS people
  FROM events
  WHERE message_id IS NOT NULL AND time_ms >= @from AND time_ms < @to
  GROUP BY message_id, kind`;

// Viewers (from their first show in range) and control members (from their first hold-out in range)
// who have a goal event of the message's goal within its window: one index probe each.
const CONVERSIONS_SQL = `
  WITH goals AS MATERIALIZED (
    SELECT key AS message_id, json_extract(value, '$[0]') AS goal, json_extract(value, '$[1]') AS window_ms
    FROM json_each(@goals)
  ),
  starts AS (
    SELECT message_id, kind, person, MIN(time_ms) AS t0
    FROM events
    WHERE message_id IS NOT NULL AND kind IN (${SHOWN}, ${HELD_OUT}) AND time_ms >= @from AND time_ms < @to
    GROUP BY message_id, kind, person
  )
  SELECT s.message_id, s.kind, COUNT(*) AS conversions
  FROM starts s LEFT JOIN goals g ON g.message_id = s.message_id
  WHERE EXISTS (
    SELECT 1 FROM events e
    WHERE e.goal = COALESCE(g.goal, @defaultGoal) AND e.person = s.person
      AND e.time_ms BETWEEN s.t0 AND s.t0 + COALESCE(g.window_ms, @defaultWindow)
  )
  GROUP BY s.message_id, s.kind`;

/** The `goal` column value an event has when it is this goal: `identify`, or `t:` + track event name. */
const goalKey = (event: string): string => (event === 'identify' ? 'identify' : `t:${event}`);

const ratio = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);

/** Prepares the metrics statements over an open database. */
export function createMetricsQuery(db: BeckonDatabase): MetricsQuery {
  const counts = db.prepare(COUNTS_SQL);
  const conversions = db.prepare(CONVERSIONS_SQL);
  return (range, goals) => {
    const goalsJson = JSON.stringify(Object.fromEntries(Object.entries(goals).map(([id, g]) => [id, [goalKey(g.event), g.windowMs]])));
    const params = { from: range.from, to: range.to };
    // One read transaction: both statements see the same events.
    const [countRows, conversionRows] = db.transaction((): [CountsRow[], ConversionsRow[]] => [
      counts.all(params) as CountsRow[],
      conversions.all({ ...params, goals: goalsJson, defaultGoal: goalKey(DEFAULT_GOAL.event), defaultWindow: DEFAULT_GOAL.windowMs }) as ConversionsRow[],
    ])();
    const byMessage = new Map<string, { events: number[]; people: number[]; conversions: number[] }>();
    const entry = (id: string) => {
      let found = byMessage.get(id);
      if (!found) byMessage.set(id, (found = { events: [0, 0, 0, 0], people: [0, 0, 0, 0], conversions: [0, 0, 0, 0] }));
      return found;
    };
    for (const row of countRows) {
      entry(row.message_id).events[row.kind] = row.events;
      entry(row.message_id).people[row.kind] = row.people;
    }
    for (const row of conversionRows) entry(row.message_id).conversions[row.kind] = row.conversions;
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
    // JavaScript string order (UTF-16 code units), as computeMetrics sorts; SQLite's is bytewise.
    return metrics.sort((a, b) => (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0));
  };
}
