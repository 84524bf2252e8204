// The SQLite schema. Version 3; `beckon_meta.schema_version` says which one a file has.

/** The schema version this code writes and reads. */
export const SCHEMA_VERSION = 3;

/** The events table, under `name` (a migration builds it beside the old one). */
function eventsTable(name: string): string {
  return `-- Every collected event once (by its own id), with the columns metrics need pulled out of it.
CREATE TABLE IF NOT EXISTS ${name} (
  seq          INTEGER PRIMARY KEY,  -- arrival order
  event_key    INTEGER NOT NULL,     -- eventKey(event_id), for finding replays
  event_id     TEXT NOT NULL,        -- the event's messageId (Segment spec): stored once
  type         TEXT NOT NULL,        -- page | screen | track | identify | alias | group
  name         TEXT,                 -- track: event name; page/screen: name
  message_id   TEXT,                 -- Beckon's message events: properties.message_id
  kind         INTEGER,              -- of a message event: 0 shown, 1 clicked, 2 dismissed, 3 held out
  variant_id   TEXT,                 -- of a shown, clicked or dismissed event: properties.variant_id (non-empty)
  goal         TEXT,                 -- what it can be a goal as: 'identify', or 't:' || track event name
  anonymous_id TEXT NOT NULL,
  user_id      TEXT,
  person       INTEGER REFERENCES people (id), -- who it counts for in metrics: its user, else the owner of its
                                               -- anonymousId, else its anonymousId; NULL for page and screen views
  time_ms      INTEGER,              -- Date.parse(timestamp); NULL when it does not parse
  received_ms  INTEGER NOT NULL,
  body         TEXT NOT NULL         -- the event as JSON
);`;
}

/**
 * Version 1 → 2: events were unique by event_id (an index of the text ids); now found by event_key.
 * SQLite cannot drop a UNIQUE constraint, so the table is copied. Needs the SQL function `beckon_event_key`.
 */
export const MIGRATE_1_TO_2 = `
${eventsTable('events_v2')}
INSERT INTO events_v2 (seq, event_key, event_id, type, name, message_id, kind, goal, anonymous_id, user_id, person, time_ms, received_ms, body)
  SELECT seq, beckon_event_key(event_id), event_id, type, name, message_id, kind, goal, anonymous_id, user_id, person, time_ms, received_ms, body
  FROM events ORDER BY seq;
DROP TABLE events;
ALTER TABLE events_v2 RENAME TO events;
`;

/**
 * Version 2 → 3: message events name their variant (`variant_id`), filled from the stored bodies; events_by_message
 * gains the column (created again with the rest of the schema).
 */
export const MIGRATE_2_TO_3 = `
ALTER TABLE events ADD COLUMN variant_id TEXT;
DROP INDEX IF EXISTS events_by_message;
`;

/** Fills `variant_id` of stored events from their bodies (after 2 → 3, or after 1 → 2, whose copy has the column). */
export const FILL_VARIANTS = `
UPDATE events SET variant_id = json_extract(body, '$.properties.variant_id')
  WHERE kind IN (0, 1, 2) AND json_type(body, '$.properties.variant_id') = 'text' AND json_extract(body, '$.properties.variant_id') <> '';
`;

/** Statements that create the schema in an empty database (idempotent). */
export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS beckon_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- Everyone events belong to, as small integers: 'u:' || userId, or 'a:' || anonymousId.
-- An anonymous person linked to a user by identify has that user as owner; its events are the owner's.
CREATE TABLE IF NOT EXISTS people (
  id    INTEGER PRIMARY KEY,
  key   TEXT NOT NULL UNIQUE,
  owner INTEGER REFERENCES people (id)
);

${eventsTable('events')}
CREATE INDEX IF NOT EXISTS events_by_key ON events (event_key);
-- Metrics read message events through these two indexes alone: counts per message, kind and variant; each
-- person's first time per message and kind, and whether their events named one variant.
CREATE INDEX IF NOT EXISTS events_by_message ON events (message_id, kind, person, time_ms, variant_id) WHERE message_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_by_variant ON events (message_id, kind, variant_id, person, time_ms) WHERE message_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_by_goal ON events (goal, person, time_ms) WHERE goal IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_unlinked ON events (anonymous_id) WHERE user_id IS NULL AND person IS NOT NULL;

-- anonymousId -> userId, one row per pair seen in identify events, with the earliest time.
-- An anonymousId's person is the userId of its earliest link.
CREATE TABLE IF NOT EXISTS identity_links (
  anonymous_id TEXT NOT NULL,
  user_id      TEXT NOT NULL,
  time_ms      INTEGER NOT NULL,
  seq          INTEGER NOT NULL,     -- the identify event's arrival order, to break ties
  PRIMARY KEY (anonymous_id, user_id)
) WITHOUT ROWID;

-- Each person's frequency ledger (@beckon/rules), kept for POST /v1/decide.
CREATE TABLE IF NOT EXISTS ledgers (
  person     TEXT PRIMARY KEY,
  ledger     TEXT NOT NULL,
  updated_ms INTEGER NOT NULL
) WITHOUT ROWID;
`;
