import { DEFAULT_GOAL, lift, type MessageMetrics, type MetricsGoal } from '@beckon/tracking';
import type { BeckonDatabase } from '../db/database.js';

/** A time range [from, to) in epoch milliseconds. */
export interface TimeRange {
  from: number;
  to: number;
}

/** Computes per-message metrics over a range (METRICS.md) from the stored events. */
export type MetricsQuery = (range: TimeRange, goals: Readonly<Record<string, MetricsGoal>>) => MessageMetrics[];

interface CountsRow {
  message_id: string;
  impressions: number;
  viewers: number;
  clicks: number;
  clickers: number;
  dismissals: number;
  control: number;
}

interface ConversionsRow {
  message_id: string;
  name: string;
  conversions: number;
}

// One row per message, person and kind of message event in range: the base of every counter.
const PER_PERSON = `
  SELECT message_id, name, person, COUNT(*) AS n, MIN(time_ms) AS first_ms
  FROM events
  WHERE message_id IS NOT NULL AND time_ms >= @from AND time_ms < @to
  GROUP BY message_id, name, person`;

const COUNTS_SQL = `
  WITH per_person AS (${PER_PERSON})
  SELECT message_id,
    SUM(CASE WHEN name = 'Message Shown' THEN n ELSE 0 END) AS impressions,
    SUM(name = 'Message Shown') AS viewers,
    SUM(CASE WHEN name = 'Message Clicked' THEN n ELSE 0 END) AS clicks,
    SUM(name = 'Message Clicked') AS clickers,
    SUM(CASE WHEN name = 'Message Dismissed' THEN n ELSE 0 END) AS dismissals,
    SUM(name = 'Message Held Out') AS control
  FROM per_person
  GROUP BY message_id`;

// Viewers (first show) and control members (first hold-out) who reached the message's goal in its window.
const CONVERSIONS_SQL = `
  WITH per_person AS (${PER_PERSON}),
  goals AS (
    SELECT key AS message_id, json_extract(value, '$[0]') AS goal, json_extract(value, '$[1]') AS window_ms
    FROM json_each(@goals)
  ),
  starts AS (
    SELECT p.message_id, p.name, p.person, p.first_ms,
      COALESCE(g.goal, @defaultGoal) AS goal, COALESCE(g.window_ms, @defaultWindow) AS window_ms
    FROM per_person p LEFT JOIN goals g ON g.message_id = p.message_id
    WHERE p.name IN ('Message Shown', 'Message Held Out')
  )
  SELECT message_id, name, COUNT(*) AS conversions
  FROM starts s
  WHERE EXISTS (
    SELECT 1 FROM events e
    WHERE e.goal = s.goal AND e.person = s.person AND e.time_ms BETWEEN s.first_ms AND s.first_ms + s.window_ms
  )
  GROUP BY message_id, name`;

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
    const converted = new Map(conversionRows.map((r) => [`${r.name}\u0000${r.message_id}`, r.conversions]));
    const metrics = countRows.map((row): MessageMetrics => {
      const viewerConversions = converted.get(`Message Shown\u0000${row.message_id}`) ?? 0;
      const controlConversions = converted.get(`Message Held Out\u0000${row.message_id}`) ?? 0;
      const viewers = { size: row.viewers, conversions: viewerConversions, conversionRate: ratio(viewerConversions, row.viewers) };
      const control = { size: row.control, conversions: controlConversions, conversionRate: ratio(controlConversions, row.control) };
      return {
        messageId: row.message_id,
        impressions: row.impressions,
        uniqueViewers: row.viewers,
        clicks: row.clicks,
        clickers: row.clickers,
        clickThroughRate: ratio(row.clickers, row.viewers),
        dismissals: row.dismissals,
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
