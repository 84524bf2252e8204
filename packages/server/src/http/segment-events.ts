// Events as Segment-protocol libraries send them, made into what the collector validates: the fields
// the Segment tracking API fills in itself (type, messageId, timestamp) are filled in here.
import type { CollectedEvent } from '@beckon/tracking';

type JsonObject = Record<string, unknown>;

/** An event type the collector stores. */
export type CollectedType = CollectedEvent['type'];

/** What is known about an event from its request rather than from itself. */
export interface Arrival {
  /** When the request arrived, in epoch milliseconds. */
  receivedMs: number;
  /** The batch's `context`, under each event's own. */
  context?: unknown;
  /** The type the endpoint stands for (`/v1/track` is `track`), over any the body gives. */
  type?: CollectedType;
  /** A new unique event id, for events sent without a `messageId`. */
  newId(): string;
}

/** Optional fields Segment's own libraries send as null when they have no value (analytics.js: `userId: null`). */
const NULL_MEANS_ABSENT = ['userId', 'anonymousId', 'name', 'context', 'properties', 'traits', 'originalTimestamp', 'sentAt'] as const;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Fills in what the Segment tracking API fills in: optional fields sent as null are left out; the
 * endpoint's `type`; a `messageId` when there is none (such an event cannot be deduplicated: a retry
 * stores it again); the batch's `context` under the event's; `timestamp` when there is none: the
 * event's `originalTimestamp`, else the time received; and an anonymousId for an event with a userId
 * only (`userOnlyAnonymousId`). Anything else is left for the schema to judge.
 * Returns the input itself when nothing needs filling in (Beckon's own events), so they cost no copy.
 */
export function withSegmentFields(given: unknown, arrival: Arrival): unknown {
  if (!isObject(given)) return given;
  let input = given;
  for (const key of NULL_MEANS_ABSENT) {
    if (input[key] !== null) continue;
    if (input === given) input = { ...given };
    delete input[key];
  }
  let out: JsonObject | undefined;
  const set = (key: string, value: unknown) => {
    out ??= { ...input };
    out[key] = value;
  };
  if (arrival.type !== undefined && input['type'] !== arrival.type) set('type', arrival.type);
  if (input['messageId'] === undefined) set('messageId', arrival.newId());
  if (arrival.context !== undefined && isObject(arrival.context)) {
    const own = input['context'];
    if (own === undefined) set('context', arrival.context);
    else if (isObject(own)) set('context', { ...arrival.context, ...own });
  }
  if (input['timestamp'] === undefined) set('timestamp', input['originalTimestamp'] ?? new Date(arrival.receivedMs).toISOString());
  // A backend that knows only the user (`track({ userId, event })`) sends no anonymousId, which Segment allows.
  const userId = input['userId'];
  if (input['anonymousId'] === undefined && typeof userId === 'string' && userId !== '') set('anonymousId', userOnlyAnonymousId(userId));
  return out ?? input;
}

/**
 * The anonymous id Beckon keys an event by when it came with a userId only: every event is stored under an
 * anonymous id, and this one is the same for all of that user's such events and cannot be a browser's (those are
 * UUIDs). The event still counts for the user: a user id decides whose event it is.
 */
export const userOnlyAnonymousId = (userId: string): string => `user:${userId}`;
