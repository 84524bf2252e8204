import type { MessageMetrics, MetricsGoal } from '@beckon/tracking';
import { assembleMetrics, goalKey, goalParameters, type ConversionsRow, type CountsRow } from '../../metrics/assemble.js';
import type { TimeRange } from '../contract.js';
import { MESSAGE_KIND } from '../rows.js';
import { transaction, type Pool } from './pool.js';

const { shown: SHOWN, heldOut: HELD_OUT } = MESSAGE_KIND;

// The same two aggregates as the SQLite engine's, in PostgreSQL's SQL. The time range prunes partitions.
const COUNTS_SQL = `
  SELECT message_id, kind, COUNT(*) AS events, COUNT(DISTINCT person) AS people
  FROM events
  WHERE message_id IS NOT NULL AND time_ms >= $1 AND time_ms < $2
  GROUP BY message_id, kind`;

const CONVERSIONS_SQL = `
  WITH goals AS MATERIALIZED (
    SELECT key COLLATE "C" AS message_id, value->>0 AS goal, (value->>1)::bigint AS window_ms
    FROM jsonb_each($3::jsonb)
  ),
  starts AS (
    SELECT message_id, kind, person, MIN(time_ms) AS t0
    FROM events
    WHERE message_id IS NOT NULL AND kind IN (${SHOWN}, ${HELD_OUT}) AND time_ms >= $1 AND time_ms < $2
    GROUP BY message_id, kind, person
  )
  SELECT s.message_id, s.kind, COUNT(*) AS conversions
  FROM starts s LEFT JOIN goals g ON g.message_id = s.message_id
  WHERE EXISTS (
    SELECT 1 FROM events e
    WHERE e.goal = COALESCE(g.goal, $4) COLLATE "C" AND e.person = s.person
      AND e.time_ms BETWEEN s.t0 AND s.t0 + COALESCE(g.window_ms, $5)
      -- Implied by the lines above, but visible to the planner: only the goals in use are read (the
      -- hash of goal events stays small) and partitions before the range are skipped.
      AND e.goal = ANY($6::text[]) AND e.time_ms >= $1
  )
  GROUP BY s.message_id, s.kind`;

/** Per-message metrics over a range, in one read-only snapshot (both statements see the same events). */
export function createMetricsQuery(pool: Pool) {
  return (range: TimeRange, goals: Readonly<Record<string, MetricsGoal>>): Promise<MessageMetrics[]> =>
    transaction(
      pool,
      async (client) => {
        const { goals: goalsJson, defaultGoal, defaultWindow } = goalParameters(goals);
        const counts = await client.query<CountsRow>(COUNTS_SQL, [range.from, range.to]);
        const inUse = [...new Set([defaultGoal, ...Object.values(goals).map((goal) => goalKey(goal.event))])];
        const conversions = await client.query<ConversionsRow>(CONVERSIONS_SQL, [range.from, range.to, goalsJson, defaultGoal, defaultWindow, inUse]);
        return assembleMetrics(counts.rows, conversions.rows);
      },
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
}
