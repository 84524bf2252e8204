import { evaluate, mergeLedgers, recordPageView, type CompiledCatalog, type Ledger, type PendingTrigger, type SkipReason } from '@beckon/rules';
import { MAX_NAME_LENGTH, toFieldErrors } from '@beckon/tracking/schema';
import * as z from 'zod/mini';
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
  /**
   * For a message with variants: the visitor's variant (the same one the browser SDK picks, by `assignVariant` of
   * the message id and the anonymous id). Send it as `variant_id` with the message's events. `layout` and
   * `content` are then that variant's where it has its own.
   */
  variant?: string;
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
  /** For `holdout`, in a message with variants: the variant the visitor would have seen (send it as `variant_id`). */
  variant?: string;
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

/** A visitor's ledgers as an engine read them for decide: their person's and, while unlinked, their anonymous one. */
export interface VisitorLedgers {
  /** The person key the decision is for (`u:<userId>`, the linked user, or `a:<anonymousId>`). */
  person: string;
  /** Whether that person is not the anonymous one. */
  identified: boolean;
  ledger: Ledger;
  /** The anonymous ledger, read when the visitor is identified but their anonymousId not linked yet. */
  anonymousLedger?: Ledger;
}

/** What an engine read and recorded for one decide: the ledger to evaluate with, and who the visitor is. */
export interface Visit {
  /** Whether the visitor counts as identified (a userId was sent, or the anonymousId was identified before). */
  identified: boolean;
  /** Their ledger, with the anonymous history merged in while unlinked, and this page view counted. */
  ledger: Ledger;
}

/**
 * The engine's part of a decide, from ledgers already read, as every engine does inside its own lock. A
 * request without `event` is a page (or screen) view: it counts toward the session and the ledger to
 * write back is returned. With `event` nothing is written.
 */
export function visitLedgers(request: DecideRequest, visitor: VisitorLedgers, now: number): { visit: Visit; write?: Ledger } {
  // Until an identify event links them, the anonymous history still counts for this user.
  let ledger = visitor.anonymousLedger ? mergeLedgers(visitor.ledger, visitor.anonymousLedger) : visitor.ledger;
  let write: Ledger | undefined;
  if (request.event === undefined) write = ledger = recordPageView(ledger, now);
  return { visit: { identified: visitor.identified, ledger }, write };
}

/**
 * Decides for one visitor whose visit an engine recorded: evaluates the catalog. Runs on the decide thread
 * (decide/evaluator.ts), never on the thread that stores events nor on the one that answers requests.
 */
export function decideFor(catalog: CompiledCatalog, request: DecideRequest, visit: Visit, now: number): DecideResponse {
  const context = {
    url: request.url,
    screen: request.screen,
    identified: visit.identified,
    visitorId: request.anonymousId,
    event: request.event === undefined ? undefined : { name: request.event },
  };
  const { show, skipped } = evaluate(catalog, context, visit.ledger, now);
  return {
    show: show.map(({ message, trigger, variant }) => ({
      id: message.id,
      ...(variant ? { variant: variant.id } : {}),
      layout: variant?.layout ?? message.layout,
      content: variant?.content ?? message.content,
      priority: message.priority,
      ...(trigger ? { trigger } : {}),
    })),
    skipped: skipped.map(({ message, reason, detail, trigger, variant }) => ({
      id: message.id,
      reason,
      ...(variant ? { variant: variant.id } : {}),
      detail,
      ...(trigger ? { trigger } : {}),
    })),
    identified: visit.identified,
  };
}
