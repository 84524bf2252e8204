import { evaluate, mergeLedgers, recordPageView, type CompiledCatalog, type PendingTrigger, type SkipReason } from '@beckon/rules';
import { MAX_NAME_LENGTH, toFieldErrors } from '@beckon/tracking/schema';
import * as z from 'zod/mini';
import type { BeckonDatabase } from './db/database.js';
import { anonymousPerson, type EventStore } from './db/events.js';
import type { LedgerStore } from './db/ledgers.js';
import { HttpError } from './http/errors.js';

const name = () => z.string().check(z.minLength(1), z.maxLength(MAX_NAME_LENGTH));

/** The body of POST /v1/decide. */
const decideSchema = z
  .object({
    anonymousId: name(),
    userId: z.optional(name()),
    url: z.optional(z.string().check(z.minLength(1), z.maxLength(8192))),
    screen: z.optional(name()),
    event: z.optional(name()),
  })
  .check(
    z.refine((body) => body.url !== undefined || body.screen !== undefined, {
      message: 'send url (web pages) or screen (app screens)',
      path: ['url'],
    }),
  );

/** What POST /v1/decide takes: who the visitor is and where they are. */
export type DecideRequest = z.infer<typeof decideSchema>;

/** A message to show: what to render, and what to wait for before showing it. */
export interface DecidedMessage {
  id: string;
  layout: CompiledCatalog['messages'][number]['layout'];
  content: CompiledCatalog['messages'][number]['content'];
  priority: number;
  /** Present when the message waits for a delay, a scroll depth or exit intent. */
  trigger?: PendingTrigger;
}

/** A message not shown and why; `holdout` ones should be reported with a Message Held Out event. */
export interface SkippedMessage {
  id: string;
  reason: SkipReason;
  detail: string;
  trigger?: PendingTrigger;
}

/** What POST /v1/decide answers. */
export interface DecideResponse {
  show: DecidedMessage[];
  skipped: SkippedMessage[];
  /** Whether the visitor counts as identified (a userId was sent, or the anonymousId was identified before). */
  identified: boolean;
}

/** Validates a decide body; throws 400 listing each path. */
export function parseDecideRequest(body: unknown): DecideRequest {
  const result = decideSchema.safeParse(body);
  if (!result.success) throw new HttpError(400, 'decide request does not match the schema', toFieldErrors(result.error, body));
  return result.data;
}

/**
 * Decides for one visitor on the server, with the frequency ledger kept in the database. A request
 * without `event` is a page (or screen) view and counts toward the session; with `event` it
 * evaluates that event's triggers. The ledger of an identified visitor includes their anonymous history.
 */
export function createDecider(db: BeckonDatabase, events: EventStore, ledgers: LedgerStore): (request: DecideRequest, catalog: CompiledCatalog, now: number) => DecideResponse {
  const decide = db.transaction((request: DecideRequest, catalog: CompiledCatalog, now: number): DecideResponse => {
    const person = events.personOf(request.anonymousId, request.userId);
    const anonymous = anonymousPerson(request.anonymousId);
    const identified = person !== anonymous;
    let ledger = ledgers.read(person);
    // Until an identify event links them, the anonymous history still counts for this user.
    if (identified) ledger = mergeLedgers(ledger, ledgers.read(anonymous));
    if (request.event === undefined) {
      ledger = recordPageView(ledger, now);
      ledgers.write(person, ledger, now);
    }
    const context = {
      url: request.url,
      screen: request.screen,
      identified,
      visitorId: request.anonymousId,
      event: request.event === undefined ? undefined : { name: request.event },
    };
    const { show, skipped } = evaluate(catalog, context, ledger, now);
    return {
      show: show.map(({ message, trigger }) => ({
        id: message.id,
        layout: message.layout,
        content: message.content,
        priority: message.priority,
        ...(trigger ? { trigger } : {}),
      })),
      skipped: skipped.map(({ message, reason, detail, trigger }) => ({ id: message.id, reason, detail, ...(trigger ? { trigger } : {}) })),
      identified,
    };
  });
  // IMMEDIATE: the ledger is read and written back without another writer in between.
  return (request, catalog, now) => decide.immediate(request, catalog, now);
}
