import type { MessageMetrics, MetricsGoal } from '@beckon/tracking';
import { assembleMetrics, goalParameters, type ConversionsRow, type CountsRow } from '../../metrics/assemble.js';
import type { TimeRange } from '../contract.js';
import { MESSAGE_KIND } from '../rows.js';
import type { BeckonDatabase } from './database.js';

/** Computes per-message metrics over a range (METRICS.md) from the stored events. */
export type MetricsQuery = (range: TimeRange, goals: Readonly<Record<string, MetricsGoal>>) => MessageMetrics[];

const { shown: SHOWN, heldOut: HELD_OUT } = MESSAGE_KIND;

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

/** Prepares the metrics statements over an open database. */
export function createMetricsQuery(db: BeckonDatabase): MetricsQuery {
  const counts = db.prepare(COUNTS_SQL);
  const conversions = db.prepare(CONVERSIONS_SQL);
  return (range, goals) => {
    const params = { from: range.from, to: range.to };
    // One read transaction: both statements see the same events.
    const [countRows, conversionRows] = db.transaction((): [CountsRow[], ConversionsRow[]] => [
      counts.all(params) as CountsRow[],
      conversions.all({ ...params, ...goalParameters(goals) }) as ConversionsRow[],
    ])();
    return assembleMetrics(countRows, conversionRows);
  };
}
