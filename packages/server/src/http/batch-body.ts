// The body of POST /v1/batch, validated. Well-formed events take a hand-written path that builds exactly
// what @beckon/tracking/schema's zod schema returns, several times faster; anything else (an error, an
// unusual key) goes through parseBatch itself, so every error message is the schema's own.
import type { BeckonEvent } from '@beckon/tracking';
import { MAX_BATCH_LENGTH, MAX_NAME_LENGTH, parseBatch, type BatchResult } from '@beckon/tracking/schema';
import * as z from 'zod/mini';

type JsonObject = Record<string, unknown>;

/** What `z.iso.datetime({ offset: true })` in the event schema accepts. */
const TIMESTAMP = z.regexes.datetime({ offset: true, local: false, precision: null });

/** Known keys of the schema's loose objects, in the schema's order (the order zod writes them in). */
export const CONTEXT_KEYS = ['page', 'screen', 'locale', 'userAgent', 'library'] as const;
export const PAGE_KEYS = ['url', 'path', 'referrer', 'title', 'search'] as const;
export const SCREEN_KEYS = ['name'] as const;
export const LIBRARY_KEYS = ['name', 'version'] as const;

// A JSON object zod copies as is; `__proto__` (which zod drops) and anything odd go the slow way.
const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !Object.hasOwn(value, '__proto__');
const isName = (value: unknown): value is string => typeof value === 'string' && value.length >= 1 && value.length <= MAX_NAME_LENGTH;
const isOptionalText = (value: unknown): boolean => value === undefined || typeof value === 'string';

/** A loose object of optional strings, known keys first (as zod orders them), or undefined when invalid. */
function looseTexts(input: unknown, keys: readonly string[], required = false): JsonObject | undefined {
  if (!isObject(input)) return undefined;
  const out: JsonObject = {};
  for (const key of keys) {
    const value = input[key];
    if (required ? typeof value !== 'string' : !isOptionalText(value)) return undefined;
    if (value !== undefined) out[key] = value;
  }
  for (const key in input) if (!keys.includes(key)) out[key] = input[key];
  return out;
}

/** `context`, or undefined when it is not valid. */
function context(input: unknown): JsonObject | undefined {
  if (!isObject(input)) return undefined;
  const page = input['page'] === undefined ? undefined : looseTexts(input['page'], PAGE_KEYS);
  const screen = input['screen'] === undefined ? undefined : looseTexts(input['screen'], SCREEN_KEYS);
  const library = input['library'] === undefined ? undefined : looseTexts(input['library'], LIBRARY_KEYS, true);
  if ((input['page'] !== undefined && !page) || (input['screen'] !== undefined && !screen) || (input['library'] !== undefined && !library)) {
    return undefined;
  }
  if (!isOptionalText(input['locale']) || !isOptionalText(input['userAgent'])) return undefined;
  const out: JsonObject = {};
  if (page) out['page'] = page;
  if (screen) out['screen'] = screen;
  if (input['locale'] !== undefined) out['locale'] = input['locale'];
  if (input['userAgent'] !== undefined) out['userAgent'] = input['userAgent'];
  if (library) out['library'] = library;
  for (const key in input) if (!(CONTEXT_KEYS as readonly string[]).includes(key)) out[key] = input[key];
  return out;
}

/** One event as the schema returns it, or undefined when it is not valid (or unusual). */
export function wellFormedEvent(input: unknown): BeckonEvent | undefined {
  if (!isObject(input)) return undefined;
  const { messageId, anonymousId, userId, timestamp, type } = input;
  if (!isName(messageId) || !isName(anonymousId) || typeof timestamp !== 'string' || !TIMESTAMP.test(timestamp)) return undefined;
  if (type === 'identify' ? !isName(userId) : userId !== undefined && !isName(userId)) return undefined;
  const out: JsonObject = { messageId, anonymousId };
  if (userId !== undefined) out['userId'] = userId;
  out['timestamp'] = timestamp;
  if (input['context'] !== undefined) {
    const checked = context(input['context']);
    if (!checked) return undefined;
    out['context'] = checked;
  }
  const { properties } = input;
  if (properties !== undefined) {
    if (!isObject(properties)) return undefined;
    out['properties'] = properties;
  }
  out['type'] = type;
  if (type === 'track') {
    if (!isName(input['event'])) return undefined;
    out['event'] = input['event'];
  } else if (type === 'page' || type === 'screen') {
    const name = input['name'];
    if (type === 'screen' || name !== undefined) {
      if (!isName(name)) return undefined;
      out['name'] = name;
    }
  } else if (type === 'identify') {
    const { traits } = input;
    if (traits !== undefined) {
      if (!isObject(traits)) return undefined;
      out['traits'] = traits;
    }
  } else {
    return undefined;
  }
  return out as unknown as BeckonEvent;
}

/**
 * The events of a well-formed batch body exactly as `parseBatch` returns them, or undefined for
 * anything else (invalid or unusual), which then needs `parseBatch`.
 */
export function wellFormedBatch(body: unknown): BeckonEvent[] | undefined {
  if (!isObject(body)) return undefined;
  const { batch } = body;
  if (!Array.isArray(batch) || batch.length < 1 || batch.length > MAX_BATCH_LENGTH) return undefined;
  const events: BeckonEvent[] = new Array(batch.length);
  for (let i = 0; i < batch.length; i++) {
    const valid = wellFormedEvent(batch[i]);
    if (!valid) return undefined;
    events[i] = valid;
  }
  return events;
}

/** Validates a parsed POST /v1/batch body: the same result as `parseBatch`, sooner for well-formed events. */
export function parseBatchBody(body: unknown): BatchResult {
  const events = wellFormedBatch(body);
  return events ? { ok: true, batch: events } : parseBatch(body);
}
