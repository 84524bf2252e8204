// One person as erasure and access see them, whatever the engine: a user id with every anonymous id
// linked to it, or an anonymous id that was never linked. And the keyed hashes that remember an erasure
// without remembering who it was.
import { createHmac, randomBytes } from 'node:crypto';
import type { CollectedEvent } from '@beckon/tracking';
import { anonymousPerson, userPerson } from './rows.js';

/** Whom a request names: a user id, or an anonymous id (a browser's or app's id before it identified). */
export type PersonRef = { userId: string } | { anonymousId: string };

/**
 * A person found in the database: `userId` with every anonymous id linked to it (an anonymous id that
 * is linked belongs to its earliest user), or an unlinked anonymous id alone (`userId` null).
 */
export interface Person {
  userId: string | null;
  /** Sorted. */
  anonymousIds: string[];
}

/** One stored event, as access returns it. */
export interface StoredEvent {
  /** The event as it was stored (its JSON, parsed). */
  event: CollectedEvent;
  /** When it arrived, ISO 8601. */
  receivedAt: string;
}

/** One anonymous id → user id link, as access returns it. */
export interface StoredLink {
  anonymousId: string;
  userId: string;
  /** The time of the earliest identify (or alias) that made it, ISO 8601. */
  since: string;
}

/** Everything stored about one person (GET /v1/people/{id}, `beckon export-person`). */
export interface PersonExport extends Person {
  /** Their events, oldest first (by time, then arrival). */
  events: StoredEvent[];
  identityLinks: StoredLink[];
  /** Frequency ledgers (what decide remembers of shows, clicks and dismissals) by person key (`u:` or `a:` + id). */
  ledgers: Record<string, unknown>;
}

/** What an erasure deleted, per kind (DELETE /v1/people/{id}, `beckon erase`). */
export interface ErasureReport extends Person {
  deleted: { events: number; identityLinks: number; ledgers: number };
  /** Events of this person arriving until then (epoch ms) are refused. */
  refusedUntil: number;
}

/** How long events are kept; undefined keeps them. */
export interface RetentionPolicy {
  /** Events of people who never identified are deleted once older than this (ms). */
  anonymousMs?: number;
  /** Every event is deleted once older than this (ms). */
  eventsMs?: number;
}

/** What one bounded step of the retention sweep deleted. */
export interface SweepStep {
  deleted: {
    events: number;
    /** Ledgers of anonymous people with no event left and no visit since the cut-off. */
    ledgers: number;
    /** Erasure records past their time. */
    erasures: number;
    /** PostgreSQL: whole month partitions dropped (their events are counted in `events` too). */
    partitions: number;
  };
  /** True when this step found nothing more to delete: the sweep is through, until time moves on. */
  done: boolean;
}

/** A step that deleted nothing more. */
export const emptySweep = (done: boolean): SweepStep => ({ deleted: { events: 0, ledgers: 0, erasures: 0, partitions: 0 }, done });

/** How many rows one sweep step deletes at most, so a step holds the database for tens of milliseconds. */
export const SWEEP_STEP_ROWS = 5_000;

/** The `beckon_meta` key of the database's erasure secret. */
export const ERASURE_SECRET_KEY = 'erasure_secret';

/** A new erasure secret: 32 random bytes, hex. */
export const newErasureSecret = (): string => randomBytes(32).toString('hex');

/**
 * The keyed hash an erasure record holds instead of the person key (`u:` or `a:` + id): HMAC-SHA256
 * with the database's secret. Without the secret nobody can tell which ids were erased.
 */
export function erasureHash(secret: string, personKey: string): string {
  return createHmac('sha256', secret).update(personKey).digest('hex');
}

/** The person keys an incoming event belongs to: its anonymous id (an alias's previousId) and its user id. */
export function personKeysOf(event: CollectedEvent): string[] {
  const anonymousId = event.type === 'alias' ? event.previousId : event.anonymousId;
  const keys = anonymousId === undefined ? [] : [anonymousPerson(anonymousId)];
  if (event.userId) keys.push(userPerson(event.userId));
  return keys;
}

/** The person keys of a found person: theirs, and of every linked anonymous id. */
export const personKeys = (person: Person): string[] => [
  ...(person.userId === null ? [] : [userPerson(person.userId)]),
  ...person.anonymousIds.map(anonymousPerson),
];

/**
 * The ids of the events (of `events`) whose person is erased, given the erased hashes among `hashes`
 * (each event's keys hashed by `hash`). Shared by the engines' refusal checks.
 */
export function refusedIds(events: readonly CollectedEvent[], hash: (key: string) => string, erased: ReadonlySet<string>): Set<string> {
  const refused = new Set<string>();
  for (const event of events) if (personKeysOf(event).some((key) => erased.has(hash(key)))) refused.add(event.messageId);
  return refused;
}

/** Every distinct person key of `events`. */
export const distinctKeys = (events: readonly CollectedEvent[]): string[] => [...new Set(events.flatMap(personKeysOf))];

/** An event's stored row as access returns it. */
export const storedEvent = (body: string, receivedMs: number): StoredEvent => ({
  event: JSON.parse(body) as CollectedEvent,
  receivedAt: new Date(receivedMs).toISOString(),
});
