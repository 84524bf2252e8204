// The PostgreSQL schema. Version 2; `beckon_meta.schema_version` says which one a database has.
// Text columns that are compared, grouped and indexed use the "C" collation: byte order is all
// Beckon needs (metrics sort in JavaScript), and it is several times cheaper than a locale's.

/** The schema version this code writes and reads. */
export const SCHEMA_VERSION = 2;

/** Events at or after this time and before PARTITION_END get a partition per month; others go to events_undated. */
export const PARTITION_START = Date.UTC(2000, 0, 1);
export const PARTITION_END = Date.UTC(2100, 0, 1);

/** Statements that create the schema in an empty database (idempotent). */
export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS beckon_meta (
  key   text PRIMARY KEY,
  value text NOT NULL
);

-- Dedupe: every event id ever stored, once. A unique constraint on the partitioned events table would
-- have to include the partition key (time_ms), and a replay may carry another time; this table is not
-- partitioned, so its primary key is the one place that decides "stored already", across processes.
CREATE TABLE IF NOT EXISTS event_ids (
  event_id    text COLLATE "C" PRIMARY KEY,
  time_ms     bigint,                -- the event's time: retention deletes ids with their partition
  received_ms bigint NOT NULL
);

CREATE SEQUENCE IF NOT EXISTS events_seq;

-- Every collected event once, partitioned by month of its time (events_yYYYYmMM), so dropping old
-- events is dropping a partition. Events without a time, or outside 2000-2099, go to events_undated.
CREATE TABLE IF NOT EXISTS events (
  seq          bigint NOT NULL DEFAULT nextval('events_seq'), -- arrival order
  event_id     text COLLATE "C" NOT NULL,  -- the event's messageId (Segment spec); unique through event_ids
  type         text NOT NULL,              -- page | screen | track | identify
  name         text,                       -- track: event name; page/screen: name
  message_id   text COLLATE "C",           -- Beckon's message events: properties.message_id
  kind         smallint,                   -- of a message event: 0 shown, 1 clicked, 2 dismissed, 3 held out
  variant_id   text COLLATE "C",           -- of a shown, clicked or dismissed event: properties.variant_id (non-empty)
  goal         text COLLATE "C",           -- what it can be a goal as: 'identify', or 't:' || track event name
  anonymous_id text COLLATE "C" NOT NULL,
  user_id      text COLLATE "C",
  person       text COLLATE "C",           -- who it counts for in metrics: 'u:' || its user, else the owner of
                                           -- its anonymousId, else 'a:' || anonymousId; NULL for page and screen
  time_ms      bigint,                     -- Date.parse(timestamp); NULL when it does not parse
  received_ms  bigint NOT NULL,
  body         text NOT NULL               -- the event as JSON
) PARTITION BY RANGE (time_ms);
CREATE TABLE IF NOT EXISTS events_undated PARTITION OF events DEFAULT;
-- Metrics read message events through these two indexes alone: counts per message, kind and variant; each
-- person's first time per message and kind, and whether their events named one variant.
CREATE INDEX IF NOT EXISTS events_by_message ON events (message_id, kind, person, time_ms, variant_id) WHERE message_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_by_variant ON events (message_id, kind, variant_id, person, time_ms) WHERE message_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_by_goal ON events (goal, person, time_ms) WHERE goal IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_unlinked ON events (anonymous_id) WHERE user_id IS NULL AND person IS NOT NULL;

-- anonymousId -> userId, one row per pair seen in identify events, with the earliest time.
-- An anonymousId's person is the userId of its earliest link (ties: the first stored).
CREATE TABLE IF NOT EXISTS identity_links (
  anonymous_id text COLLATE "C" NOT NULL,
  user_id      text COLLATE "C" NOT NULL,
  time_ms      bigint NOT NULL,
  seq          bigint NOT NULL,            -- the identify event's arrival order, to break ties
  PRIMARY KEY (anonymous_id, user_id)
);

-- Each person's frequency ledger (@beckon/rules), kept for POST /v1/decide.
CREATE TABLE IF NOT EXISTS ledgers (
  person     text COLLATE "C" PRIMARY KEY,
  ledger     text NOT NULL,
  updated_ms bigint NOT NULL
);
`;

/**
 * Version 1 → 2: message events name their variant (`variant_id`), filled from the stored bodies; events_by_message
 * gains the column (created again by SCHEMA_SQL, run after this).
 */
export const MIGRATE_1_TO_2 = `
ALTER TABLE events ADD COLUMN IF NOT EXISTS variant_id text COLLATE "C";
DROP INDEX IF EXISTS events_by_message;
UPDATE events SET variant_id = body::jsonb #>> '{properties,variant_id}'
  WHERE kind IN (0, 1, 2) AND jsonb_typeof(body::jsonb #> '{properties,variant_id}') = 'string'
    AND body::jsonb #>> '{properties,variant_id}' <> '';
`;

/** The month partition an event time falls in, or undefined for events_undated. */
export function partitionOf(time: number | null): { name: string; from: number; to: number } | undefined {
  if (time === null || time < PARTITION_START || time >= PARTITION_END) return undefined;
  const date = new Date(time);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  return {
    name: `events_y${year}m${String(month + 1).padStart(2, '0')}`,
    from: Date.UTC(year, month, 1),
    to: Date.UTC(year, month + 1, 1),
  };
}
