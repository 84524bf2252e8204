import type { MessageMetrics, MetricsGoal } from '@beckon/tracking';
import {
  assembleMetrics,
  goalKey,
  goalParameters,
  mixedPeople,
  type ConvertedRow,
  type CountsRow,
  type MixedRow,
} from '../../metrics/assemble.js';
import type { ExperimentOptions, TimeRange } from '../contract.js';
import { MESSAGE_KIND } from '../rows.js';
import { transaction, type Pool } from './pool.js';

const { shown: SHOWN, heldOut: HELD_OUT } = MESSAGE_KIND;

// The same aggregates as the SQLite engine's (see there and ConvertedRow), in PostgreSQL's SQL; PostgreSQL groups
// by hashing, so each person is checked for mixing variants in the one pass. The time range prunes partitions.
const COUNTS_SQL = `
  SELECT message_id, kind, variant_id, COUNT(*) AS events, COUNT(DISTINCT person) AS people
  FROM events
  WHERE message_id IS NOT NULL AND time_ms >= $1 AND time_ms < $2
  GROUP BY message_id, kind, variant_id`;

const GOALS = `goals AS MATERIALIZED (
    SELECT key COLLATE "C" AS message_id, value->>0 AS goal, (value->>1)::bigint AS window_ms
    FROM jsonb_each($3::jsonb)
  )`;

const REACHED = `EXISTS (
    SELECT 1 FROM events e
    WHERE e.goal = COALESCE(g.goal, $4) COLLATE "C" AND e.person = s.person
      AND e.time_ms BETWEEN s.t0 AND s.t0 + COALESCE(g.window_ms, $5)
      -- Implied by the lines above, but visible to the planner: only the goals in use are read (the
      -- hash of goal events stays small) and partitions before the range are skipped.
      AND e.goal = ANY($6::text[]) AND e.time_ms >= $1
  )`;

/** The UTC day (days since the epoch, rounded down) of a time in ms. */
const DAY_OF = (t: string) => `div(${t} - mod(mod(${t}, 86400000) + 86400000, 86400000), 86400000)`;

/** See ConvertedRow: converters (and, with trends, everyone shown or held out) by variant, and each person who mixed. */
const convertedSql = (daily: boolean) => `
  WITH ${GOALS},
  starts AS (
    SELECT message_id, kind, person, MIN(time_ms) AS t0,
      MIN(COALESCE(variant_id, '')) AS low, MAX(COALESCE(variant_id, '')) AS high
    FROM events
    WHERE message_id IS NOT NULL AND time_ms >= $1 AND time_ms < $2
    GROUP BY message_id, kind, person
  ),
  probed AS (
    SELECT s.message_id, s.kind, s.t0,
      CASE WHEN s.low = s.high AND s.low <> '' THEN s.low END AS variant,
      CASE WHEN s.low <> s.high THEN s.person END AS mixed,
      s.kind IN (${SHOWN}, ${HELD_OUT}) AND ${REACHED} AS converted
    FROM starts s LEFT JOIN goals g ON g.message_id = s.message_id
  )
  SELECT message_id, kind, variant, mixed, ${daily ? `${DAY_OF('t0')} AS day,` : ''}
    COUNT(*) AS people, COUNT(*) FILTER (WHERE converted) AS conversions
  FROM probed
  WHERE mixed IS NOT NULL OR ${daily ? `kind IN (${SHOWN}, ${HELD_OUT})` : 'converted'}
  GROUP BY message_id, kind, variant, mixed${daily ? ', day' : ''}`;

/** See MixedRow: for the people who mixed ($7: [message id, kind, person] each), their groups and per-variant conversions. */
const mixedSql = (daily: boolean) => `
  WITH ${GOALS},
  mixed AS (
    SELECT (value->>0) COLLATE "C" AS message_id, (value->>1)::smallint AS kind, (value->>2) COLLATE "C" AS person
    FROM jsonb_array_elements($7::jsonb)
  ),
  starts AS (
    SELECT e.message_id, e.kind, e.variant_id, e.person, MIN(e.time_ms) AS t0
    FROM mixed m JOIN events e ON e.message_id = m.message_id AND e.kind = m.kind AND e.person = m.person
    WHERE e.time_ms >= $1 AND e.time_ms < $2
    GROUP BY e.message_id, e.kind, e.variant_id, e.person
  )
  SELECT s.message_id, s.kind, s.variant_id, ${daily ? `${DAY_OF('s.t0')} AS day,` : ''}
    COUNT(*) AS people, COUNT(*) FILTER (WHERE s.kind = ${SHOWN} AND s.variant_id IS NOT NULL AND ${REACHED}) AS conversions
  FROM starts s LEFT JOIN goals g ON g.message_id = s.message_id
  GROUP BY s.message_id, s.kind, s.variant_id${daily ? ', day' : ''}`;

/** Per-message metrics over a range, in one read-only snapshot (every statement sees the same events). */
export function createMetricsQuery(pool: Pool) {
  return (range: TimeRange, goals: Readonly<Record<string, MetricsGoal>>, options: ExperimentOptions = {}): Promise<MessageMetrics[]> =>
    transaction(
      pool,
      async (client) => {
        const { goals: goalsJson, defaultGoal, defaultWindow } = goalParameters(goals);
        const inUse = [...new Set([defaultGoal, ...Object.values(goals).map((goal) => goalKey(goal.event))])];
        const params = [range.from, range.to];
        const withGoals = [...params, goalsJson, defaultGoal, defaultWindow, inUse];
        const daily = !!options.daily;
        const counts = await client.query<CountsRow>(COUNTS_SQL, params);
        const converted = await client.query<ConvertedRow>(convertedSql(daily), withGoals);
        const mixing = mixedPeople(converted.rows);
        const mixed = mixing.length ? (await client.query<MixedRow>(mixedSql(daily), [...withGoals, JSON.stringify(mixing)])).rows : [];
        return assembleMetrics({ counts: counts.rows, converted: converted.rows, mixed }, range, options);
      },
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
}
