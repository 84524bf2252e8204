import type { MessageMetrics, MetricsGoal } from '@beckon/tracking';
import {
  assembleMetrics,
  goalParameters,
  mixedPeople,
  type ConvertedRow,
  type CountsRow,
  type MetricsRows,
  type MixedRow,
} from '../../metrics/assemble.js';
import type { ExperimentOptions, TimeRange } from '../contract.js';
import { MESSAGE_KIND } from '../rows.js';
import type { BeckonDatabase } from './database.js';

/** Computes per-message metrics over a range (METRICS.md) from the stored events. */
export type MetricsQuery = (range: TimeRange, goals: Readonly<Record<string, MetricsGoal>>, options?: ExperimentOptions) => MessageMetrics[];

const { shown: SHOWN, clicked: CLICKED, dismissed: DISMISSED, heldOut: HELD_OUT } = MESSAGE_KIND;

const GOALS = `goals AS MATERIALIZED (
    SELECT key AS message_id, json_extract(value, '$[0]') AS goal, json_extract(value, '$[1]') AS window_ms
    FROM json_each(@goals)
  )`;

/** Whether the person of `s` (first time `s.t0`) has a goal event of the message's goal `g` within its window: one index probe. */
const REACHED = `EXISTS (
    SELECT 1 FROM events e
    WHERE e.goal = COALESCE(g.goal, @defaultGoal) AND e.person = s.person
      AND e.time_ms BETWEEN s.t0 AND s.t0 + COALESCE(g.window_ms, @defaultWindow)
  )`;

/** The UTC day (days since the epoch, rounded down also before 1970) of a time in ms. */
const DAY_OF = (t: string) => `(${t} / 86400000 - (${t} % 86400000 < 0))`;

// Per message, kind and variant: how many events, and how many people had one. Streams through the covering
// index events_by_variant (message_id, kind, variant_id, person, time_ms) without sorting.
const COUNTS_SQL = `
  SELECT message_id, kind, variant_id, COUNT(*) AS events, COUNT(DISTINCT person) AS people
  FROM events
  WHERE message_id IS NOT NULL AND time_ms >= @from AND time_ms < @to
  GROUP BY message_id, kind, variant_id`;

/**
 * Viewers (from their first show in range) and control members (from their first hold-out in range) probed once
 * each for the message's goal within its window, through the covering index events_by_message (message_id, kind,
 * person, time_ms, variant_id). Whether all of a person's events named one variant is read in the same pass (''
 * stands for none: variant ids are never empty), so a person who saw one variant converts for it with the same
 * probe, and only the few who mixed come out one by one, for MIXED_SQL. Without trends only converters and mixers
 * are grouped, so the grouping stays small. See ConvertedRow.
 */
const convertedSql = (daily: boolean) => `
  WITH ${GOALS},
  starts AS (
    SELECT message_id, kind, person, MIN(time_ms) AS t0,
      MIN(COALESCE(variant_id, '')) AS low, MAX(COALESCE(variant_id, '')) AS high
    FROM events
    WHERE message_id IS NOT NULL AND time_ms >= @from AND time_ms < @to
    GROUP BY message_id, kind, person
  )
  SELECT s.message_id, s.kind,
    CASE WHEN s.low = s.high AND s.low <> '' THEN s.low END AS variant,
    CASE WHEN s.low <> s.high THEN s.person END AS mixed,
    ${daily ? `${DAY_OF('s.t0')} AS day,` : ''}
    COUNT(*) AS people, SUM(CASE WHEN s.kind IN (${SHOWN}, ${HELD_OUT}) THEN ${REACHED} ELSE 0 END) AS conversions
  FROM starts s LEFT JOIN goals g ON g.message_id = s.message_id
  WHERE s.low <> s.high OR (s.kind IN (${SHOWN}, ${HELD_OUT}) AND ${daily ? 1 : REACHED})
  GROUP BY s.message_id, s.kind, variant, mixed${daily ? ', day' : ''}`;

/**
 * The usual case, when nobody's events name two variants of a message (or one and none), read without checking
 * each person for it: viewers and control members probed once each, grouped per message and kind as they stream
 * out of events_by_message (the ORDER BYs say so, and no sort happens), with the variant of each converter (the
 * one of their first event, a column SQLite takes from the row MIN picked). `people` lets the caller check that
 * nobody mixed: the people of a message's variant groups (COUNTS_SQL) then add up to it.
 */
const USUAL_SQL = `
  WITH ${GOALS},
  starts AS (
    SELECT message_id, kind, person, MIN(time_ms) AS t0, variant_id
    FROM events
    WHERE message_id IS NOT NULL AND kind IN (${SHOWN}, ${HELD_OUT}) AND time_ms >= @from AND time_ms < @to
    GROUP BY message_id, kind, person
    ORDER BY message_id, kind, person
  ),
  probed AS (
    SELECT s.message_id, s.kind, s.variant_id, ${REACHED} AS converted
    FROM starts s LEFT JOIN goals g ON g.message_id = s.message_id
    ORDER BY s.message_id, s.kind, s.person
  )
  SELECT message_id, kind, COUNT(*) AS people, SUM(converted) AS conversions,
    json_group_array(variant_id) FILTER (WHERE converted AND variant_id IS NOT NULL) AS converters
  FROM probed
  GROUP BY message_id, kind`;

/** People who clicked or dismissed, per message and kind: with USUAL_SQL, the people COUNTS_SQL's groups must add up to. */
const OTHER_PEOPLE_SQL = `
  SELECT message_id, kind, COUNT(DISTINCT person) AS people
  FROM events INDEXED BY events_by_message
  WHERE message_id IS NOT NULL AND kind IN (${CLICKED}, ${DISMISSED}) AND time_ms >= @from AND time_ms < @to
  GROUP BY message_id, kind`;

/** A row of USUAL_SQL. */
interface UsualRow {
  message_id: string;
  kind: number;
  people: number;
  conversions: number;
  /** JSON: the variant of each converter who had one. */
  converters: string;
}

/**
 * USUAL_SQL's rows as ConvertedRows, or undefined when someone's events named two variants of a message (or one
 * and none): then Σ people over the message's variant groups exceeds its distinct people for that kind.
 */
function usualConverted(counts: readonly CountsRow[], usual: readonly UsualRow[], others: readonly { message_id: string; kind: number; people: number }[]): ConvertedRow[] | undefined {
  const key = (row: { message_id: string; kind: number }) => `${row.kind}:${row.message_id}`;
  const grouped = new Map<string, number>();
  for (const row of counts) grouped.set(key(row), (grouped.get(key(row)) ?? 0) + Number(row.people));
  for (const row of [...usual, ...others]) if (grouped.get(key(row)) !== Number(row.people)) return undefined;
  return usual.flatMap((row) => {
    const byVariant = new Map<string, number>();
    for (const variant of JSON.parse(row.converters) as string[]) byVariant.set(variant, (byVariant.get(variant) ?? 0) + 1);
    const named = [...byVariant.values()].reduce((sum, n) => sum + n, 0);
    const base = { message_id: row.message_id, kind: row.kind, mixed: null };
    return [
      { ...base, variant: null, people: 0, conversions: Number(row.conversions) - named },
      ...[...byVariant].map(([variant, n]) => ({ ...base, variant, people: n, conversions: n })),
    ];
  });
}

/** For the people who mixed (`@mixed`: [message id, kind, person] each): their groups, and per variant their first show's conversion. */
const mixedSql = (daily: boolean) => `
  WITH ${GOALS},
  mixed AS (
    SELECT json_extract(value, '$[0]') AS message_id, json_extract(value, '$[1]') AS kind, json_extract(value, '$[2]') AS person
    FROM json_each(@mixed)
  ),
  starts AS (
    SELECT e.message_id, e.kind, e.variant_id, e.person, MIN(e.time_ms) AS t0
    FROM mixed m JOIN events e ON e.message_id = m.message_id AND e.kind = m.kind AND e.person = m.person
    WHERE e.time_ms >= @from AND e.time_ms < @to
    GROUP BY e.message_id, e.kind, e.variant_id, e.person
  )
  SELECT s.message_id, s.kind, s.variant_id, ${daily ? `${DAY_OF('s.t0')} AS day,` : ''}
    COUNT(*) AS people, SUM(CASE WHEN s.kind = ${SHOWN} AND s.variant_id IS NOT NULL THEN ${REACHED} ELSE 0 END) AS conversions
  FROM starts s LEFT JOIN goals g ON g.message_id = s.message_id
  GROUP BY s.message_id, s.kind, s.variant_id${daily ? ', day' : ''}`;

/** Prepares the metrics statements over an open database. */
export function createMetricsQuery(db: BeckonDatabase): MetricsQuery {
  const counts = db.prepare(COUNTS_SQL);
  const usual = db.prepare(USUAL_SQL);
  const otherPeople = db.prepare(OTHER_PEOPLE_SQL);
  const converted = [false, true].map((daily) => db.prepare(convertedSql(daily)));
  const mixed = [false, true].map((daily) => db.prepare(mixedSql(daily)));
  return (range, goals, options = {}) => {
    const params = { from: range.from, to: range.to };
    const withGoals = { ...params, ...goalParameters(goals) };
    const daily = Number(!!options.daily);
    // One read transaction: every statement sees the same events.
    const rows = db.transaction((): MetricsRows => {
      const countRows = counts.all(params) as CountsRow[];
      if (!daily) {
        const found = usualConverted(countRows, usual.all(withGoals) as UsualRow[], otherPeople.all(params) as UsualRow[]);
        if (found) return { counts: countRows, converted: found, mixed: [] };
      }
      // Trends, or someone mixed variants: each person is checked.
      const convertedRows = converted[daily]!.all(withGoals) as ConvertedRow[];
      const mixing = mixedPeople(convertedRows);
      return {
        counts: countRows,
        converted: convertedRows,
        mixed: mixing.length ? (mixed[daily]!.all({ ...withGoals, mixed: JSON.stringify(mixing) }) as MixedRow[]) : [],
      };
    })();
    return assembleMetrics(rows, range, options);
  };
}
