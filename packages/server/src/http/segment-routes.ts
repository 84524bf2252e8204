// The collector's endpoints, as the Segment tracking API has them: /v1/batch, the single-event
// endpoints (/v1/track, /v1/identify, …), and the short paths analytics.js posts to when its API host
// is `<beckon>/v1` (/v1/t, /v1/p, …, /v1/b).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CollectedEvent } from '@beckon/tracking';
import type { FieldError } from '@beckon/tracking/schema';
import type { BatchResult } from '../storage/contract.js';
import { readJsonBody } from './body.js';
import { collectBatch, type RefusedEvent } from './collect-batch.js';
import { HttpError } from './errors.js';
import { clockSkew, withTrustedTimes } from './event-times.js';
import { hasWriteKeyOutsideBody, requireWriteKey } from './keys.js';
import { sendJson } from './respond.js';
import { withSegmentFields, type CollectedType } from './segment-events.js';
import { withStoredContext } from './stored-context.js';

type Route = (req: IncomingMessage, res: ServerResponse, url: URL, cors: Record<string, string>) => Promise<void>;

/** The single-event endpoints by path (Segment's names and analytics.js's one-letter ones), and their event types. */
const SINGLE_EVENT_PATHS: ReadonlyArray<readonly [string, CollectedType]> = (
  ['track', 'identify', 'page', 'screen', 'alias', 'group'] as const
).flatMap((type) => [[`/v1/${type}`, type] as const, [`/v1/${type[0]}`, type] as const]);

/** What the collector needs from the server around it. */
export interface CollectorOptions {
  writeKey: string | undefined;
  now(): number;
  /** Stores events as one batch; resolves once committed. */
  store(events: CollectedEvent[], receivedMs: number): Promise<BatchResult>;
  /** Told how many events of a request were refused as invalid (its valid ones are stored), for monitoring. */
  refused?(count: number): void;
  /** The ids of those events whose person was erased: they are refused, one by one, and the rest stored. */
  erased?(events: CollectedEvent[], receivedMs: number): Promise<ReadonlySet<string>>;
  /** Told how many events of a request were refused because their person was erased. */
  refusedErased?(count: number): void;
  /** Store each event's whole context (never its IP address); without it only `context.library` is kept. */
  storeContext?: boolean;
}

/** A refused event's entry for each event of an erased person; `positionOf` finds it in the request's batch. */
function erasedEntries(events: readonly CollectedEvent[], erased: ReadonlySet<string>, positionOf: (event: CollectedEvent) => number): RefusedEvent[] {
  return events
    .filter((event) => erased.has(event.messageId))
    .map((event) => {
      const index = positionOf(event);
      return { index, messageId: event.messageId, reason: `batch[${index}]: this person's data was erased on request; their events are not stored` };
    });
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The body, once the write key is known good. A key in the headers or the URL is checked before the
 * body is read; analytics.js may send it only in the body (`writeKey`), checked once it is read.
 */
async function authorizedBody(req: IncomingMessage, url: URL, writeKey: string | undefined): Promise<unknown> {
  const outside = hasWriteKeyOutsideBody(req, url);
  if (outside) requireWriteKey(req, url, writeKey);
  const body = await readJsonBody(req);
  if (!outside) requireWriteKey(req, url, writeKey, isObject(body) ? body['writeKey'] : undefined);
  return body;
}

/** A single event's problems with paths of the event itself (`timestamp`, not `batch[0].timestamp`). */
const ofSingleEvent = (errors: readonly FieldError[]): FieldError[] =>
  errors.map((error) => ({ ...error, path: error.path.replace(/^batch\[0\]\.?/, '') }));

/** The collector's routes, to add to the server's. */
export function collectorRoutes(options: CollectorOptions): Record<string, { POST: Route }> {
  async function collect(req: IncomingMessage, res: ServerResponse, url: URL, cors: Record<string, string>, type?: CollectedType) {
    const body = await authorizedBody(req, url, options.writeKey);
    const receivedMs = options.now();
    if (type !== undefined && !isObject(body)) throw new HttpError(400, `request body must be a JSON object: one ${type} event`);
    // A single event is a batch of one; its own sentAt is the request's.
    const request = type === undefined ? body : { batch: [body], sentAt: (body as Record<string, unknown>)['sentAt'] };
    const given = isObject(request) ? request['batch'] : undefined;
    const arrival = { receivedMs, context: type === undefined && isObject(body) ? body['context'] : undefined, type, newId: randomUUID };
    const filled = Array.isArray(given) ? { batch: given.map((event: unknown) => withSegmentFields(event, arrival)) } : request;
    const { events, refused, issues } = collectBatch(filled);
    if (refused.length > 0) options.refused?.(refused.length);
    const answer: { refused?: RefusedEvent[] } = refused.length > 0 ? { refused } : {};
    if (events.length === 0) {
      if (type !== undefined) throw new HttpError(400, `${type} event does not match the event schema`, ofSingleEvent(issues));
      throw new HttpError(400, 'batch does not match the event schema', issues, undefined, answer);
    }
    const sentAt = isObject(request) ? request['sentAt'] : undefined;
    const trusted = withTrustedTimes(events, receivedMs, clockSkew(sentAt, receivedMs)).map((event) => withStoredContext(event, options.storeContext === true));
    const erased = (await options.erased?.(trusted, receivedMs)) ?? new Set<string>();
    if (erased.size === 0) {
      sendJson(res, 200, { ...(await options.store(trusted, receivedMs)), ...answer }, cors);
      return;
    }
    // Events of an erased person are refused one by one, like invalid ones; the rest are stored.
    const batch = Array.isArray((filled as { batch?: unknown }).batch) ? ((filled as { batch: unknown[] }).batch) : [];
    const positionOf = (event: CollectedEvent) => batch.findIndex((given) => isObject(given) && given['messageId'] === event.messageId);
    const refusedNow = [...(answer.refused ?? []), ...erasedEntries(trusted, erased, positionOf)].sort((a, b) => a.index - b.index);
    options.refusedErased?.(refusedNow.length - (answer.refused?.length ?? 0));
    const kept = trusted.filter((event) => !erased.has(event.messageId));
    const stored = kept.length > 0 ? await options.store(kept, receivedMs) : { accepted: 0, duplicates: 0 };
    sendJson(res, 200, { ...stored, refused: refusedNow }, cors);
  }

  const routes: Record<string, { POST: Route }> = {
    '/v1/batch': { POST: (req, res, url, cors) => collect(req, res, url, cors) },
    '/v1/b': { POST: (req, res, url, cors) => collect(req, res, url, cors) },
  };
  for (const [path, type] of SINGLE_EVENT_PATHS) routes[path] = { POST: (req, res, url, cors) => collect(req, res, url, cors, type) };
  return routes;
}
