// Events as every engine stores them: the columns metrics and dedupe need, pulled out of the event
// once, as plain data (so any thread can make them), and the keys of the people they belong to.
import { MESSAGE_EVENTS, type CollectedEvent } from '@beckon/tracking';

/** The `kind` column of a message event. Stored: never change it. */
export const MESSAGE_KIND = { shown: 0, clicked: 1, dismissed: 2, heldOut: 3 } as const;

/** What a collected message event means for that person's ledger. */
export type LedgerEntryKind = 'shown' | 'dismissed' | 'action';

/** The `kind` column of each message event, and what it records in a ledger. */
const MESSAGE_KINDS: ReadonlyMap<string, { kind: number; ledger?: LedgerEntryKind }> = new Map([
  [MESSAGE_EVENTS.shown, { kind: MESSAGE_KIND.shown, ledger: 'shown' }],
  [MESSAGE_EVENTS.clicked, { kind: MESSAGE_KIND.clicked, ledger: 'action' }],
  [MESSAGE_EVENTS.dismissed, { kind: MESSAGE_KIND.dismissed, ledger: 'dismissed' }],
  [MESSAGE_EVENTS.heldOut, { kind: MESSAGE_KIND.heldOut }],
]);

/** The person key of a user id. */
export const userPerson = (userId: string): string => `u:${userId}`;
/** The person key of a never-identified anonymous id. */
export const anonymousPerson = (anonymousId: string): string => `a:${anonymousId}`;

/** MurmurHash3's finaliser: every input bit moves every output bit. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The `event_key` of an event id: a 48-bit hash of its UTF-16 code units (two FNV-1a lanes, mixed).
 * Replays are found through a small index of these integers rather than of 36-character ids, so a
 * commit writes fewer pages; two ids with the same key are told apart by `event_id` itself. Stored:
 * never change it.
 */
export function eventKey(eventId: string): number {
  let low = 0x811c9dc5;
  let high = 0x811c9dc5 ^ eventId.length;
  for (let i = 0; i < eventId.length; i++) {
    const unit = eventId.charCodeAt(i);
    low = Math.imul(low ^ unit, 0x01000193);
    high = Math.imul(high ^ unit, 0x5bd1e995);
  }
  return (mix(high ^ low) & 0xffff) * 2 ** 32 + mix(low);
}

/**
 * An event as an engine writes it: the columns metrics need pulled out of it (METRICS.md's definitions,
 * so SQL can do the rest) and its JSON. Plain data made without the database, so any thread can make it.
 */
export interface EventRow {
  /** The event's own id (its `messageId`). */
  id: string;
  /** `eventKey(id)`, by which replays are found. */
  key: number;
  type: CollectedEvent['type'];
  /** track: the event name; page and screen: the name. */
  name: string | null;
  /** Of a Beckon message event: the message's id, the `kind` column, and what it records in a ledger. */
  message: string | null;
  kind: number | null;
  ledger: LedgerEntryKind | null;
  /**
   * Of a Shown, Clicked or Dismissed event: its `properties.variant_id` when a non-empty string, else null. A Held
   * Out's is not kept here: the control group is one whole beside the variants (the body still has it).
   */
  variant: string | null;
  /** What it can be a goal as: `identify`, or `t:` + the track event name. */
  goal: string | null;
  /** The anonymousId; of an alias, its previousId (the id it links to userId, as identify links an anonymousId). */
  anonymousId: string;
  userId: string | null;
  /** Date.parse(timestamp); null when it does not parse. */
  time: number | null;
  /** The event as JSON. */
  body: string;
}

const variantOf = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** The row of a valid event. */
export function eventRow(event: CollectedEvent): EventRow {
  const parsed = Date.parse(event.timestamp);
  const messageId = event.properties?.['message_id'];
  const kind = event.type === 'track' && typeof messageId === 'string' && messageId !== '' ? MESSAGE_KINDS.get(event.event) : undefined;
  return {
    id: event.messageId,
    key: eventKey(event.messageId),
    type: event.type,
    name: event.type === 'track' ? event.event : event.type === 'page' || event.type === 'screen' ? (event.name ?? null) : null,
    message: kind ? (messageId as string) : null,
    kind: kind?.kind ?? null,
    ledger: kind?.ledger ?? null,
    variant: kind && kind.kind !== MESSAGE_KIND.heldOut ? variantOf(event.properties!['variant_id']) : null,
    goal: event.type === 'identify' ? 'identify' : event.type === 'track' ? `t:${event.event}` : null,
    anonymousId: event.type === 'alias' ? event.previousId : event.anonymousId,
    userId: event.userId ?? null,
    time: Number.isNaN(parsed) ? null : parsed,
    body: JSON.stringify(event),
  };
}

/** Identify links its anonymousId to its userId; Segment's alias links its previousId the same way. */
export const linksIdentity = (row: EventRow): boolean => row.type === 'identify' || row.type === 'alias';

/** Metrics read track and identify events only; page, screen, alias and group events need no person. */
export const needsPerson = (row: EventRow): boolean => row.type === 'track' || row.type === 'identify';
