import type { MessageMetrics, MetricsGoal } from '@beckon/tracking';
import {
  assembleMetrics,
  goalKey,
  goalParameters,
  mixedPeople,
  nobodyMixed,
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

/**
 * The usual case, when nobody's events name two variants of a message (or one and none): the viewers and control
 * members who converted, per message, kind and variant (any of their events', all being the same). The EXISTS in
 * WHERE lets PostgreSQL join the goal events once rather than probe per person.
 */
const USUAL_SQL = `
  WITH ${GOALS},
  starts AS (
    SELECT message_id, kind, person, MIN(time_ms) AS t0, MIN(variant_id) AS variant
    FROM events
    WHERE message_id IS NOT NULL AND kind IN (${SHOWN}, ${HELD_OUT}) AND time_ms >= $1 AND time_ms < $2
    GROUP BY message_id, kind, person
  )
  SELECT s.message_id, s.kind, s.variant, NULL AS mixed, COUNT(*) AS people, COUNT(*) AS conversions
  FROM starts s LEFT JOIN goals g ON g.message_id = s.message_id
  WHERE ${REACHED}
  GROUP BY s.message_id, s.kind, s.variant`;

/** People per message and kind: with USUAL_SQL, what the people of COUNTS_SQL's groups must add up to. */
const PEOPLE_SQL = `
  SELECT message_id, kind, COUNT(DISTINCT person) AS people
  FROM events
  WHERE message_id IS NOT NULL AND time_ms >= $1 AND time_ms < $2
  GROUP BY message_id, kind`;

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
        if (!daily) {
          const people = await client.query<{ message_id: string; kind: number; people: number }>(PEOPLE_SQL, params);
          if (nobodyMixed(counts.rows, people.rows)) {
            const usual = await client.query<ConvertedRow>(USUAL_SQL, withGoals);
            return assembleMetrics({ counts: counts.rows, converted: usual.rows, mixed: [] }, range, options);
          }
        }
        // Trends, or someone mixed variants: each person is checked.
        const converted = await client.query<ConvertedRow>(convertedSql(daily), withGoals);
        const mixing = mixedPeople(converted.rows);
        const mixed = mixing.length ? (await client.query<MixedRow>(mixedSql(daily), [...withGoals, JSON.stringify(mixing)])).rows : [];
        return assembleMetrics({ counts: counts.rows, converted: converted.rows, mixed }, range, options);
      },
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
}
