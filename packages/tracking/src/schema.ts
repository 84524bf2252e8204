// `@beckon/tracking/schema`: validation of incoming events for the collector (and anyone else).
// zod/mini keeps it small; the browser tracker never imports this file.
import * as z from 'zod/mini';
import { MAX_BATCH_LENGTH, MAX_NAME_LENGTH } from './limits.js';
import type { AliasEvent, BeckonEvent, GroupEvent } from './types.js';

export { MAX_BATCH_BYTES, MAX_BATCH_LENGTH, MAX_EVENT_BYTES, MAX_EVENT_DEPTH, MAX_NAME_LENGTH, MAX_UNLOAD_BYTES } from './limits.js';

const name = () => z.string().check(z.minLength(1), z.maxLength(MAX_NAME_LENGTH));
const bag = () => z.optional(z.record(z.string(), z.unknown()));
const text = () => z.optional(z.string());

/** `context`: what the sending library knows about where the event happened (all optional). Unknown keys are kept. */
const contextSchema = z.looseObject({
  page: z.optional(z.looseObject({ url: text(), path: text(), referrer: text(), title: text(), search: text() })),
  screen: z.optional(z.looseObject({ name: text() })),
  locale: text(),
  userAgent: text(),
  library: z.optional(z.looseObject({ name: z.string(), version: z.string() })),
});

/** Fields every event has. Unknown top-level keys (e.g. Segment's `sentAt`) are dropped. */
const base = {
  messageId: name(),
  anonymousId: name(),
  userId: z.optional(name()),
  timestamp: z.iso.datetime({ offset: true }),
  context: z.optional(contextSchema),
  properties: bag(),
};

/** One event as sent to `POST /v1/batch`: page, screen, track or identify (Segment-spec shaped). */
export const eventSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('page'), name: z.optional(name()) }),
  z.object({ ...base, type: z.literal('screen'), name: name() }),
  z.object({ ...base, type: z.literal('track'), event: name() }),
  z.object({ ...base, type: z.literal('identify'), userId: name(), traits: bag() }),
]);

/** Segment's alias (`previousId` is now `userId`), which other Segment-protocol libraries send. */
export const aliasSchema: z.ZodMiniType<AliasEvent> = z.object({
  ...base,
  anonymousId: z.optional(name()),
  type: z.literal('alias'),
  userId: name(),
  previousId: name(),
});

/** Segment's group (the person belongs to `groupId`), which other Segment-protocol libraries send. */
export const groupSchema: z.ZodMiniType<GroupEvent> = z.object({ ...base, type: z.literal('group'), groupId: name(), traits: bag() });

/** The body of `POST /v1/batch`: `{ batch: BeckonEvent[] }` with 1 to MAX_BATCH_LENGTH events. */
export const batchSchema = z.object({
  batch: z.array(eventSchema).check(z.minLength(1), z.maxLength(MAX_BATCH_LENGTH)),
});

/** A validation problem at one place in the input, e.g. `{ path: 'batch[3].timestamp', message: '...' }`. */
export interface FieldError {
  /** Where the problem is, as JavaScript would reach it; `''` means the value itself. */
  path: string;
  /** What is wrong and what would be right, as a plain sentence fragment. */
  message: string;
}

/** The parts of a zod issue the messages are made from (zod/mini ships no message texts of its own). */
interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  format?: string;
  options?: unknown[];
  values?: unknown[];
  keys?: string[];
}

/** Turns a zod error into one `{ path, message }` per problem; pass the input to name what was received. */
export function toFieldErrors(error: { issues: readonly object[] }, input?: unknown): FieldError[] {
  return (error.issues as Issue[]).map((issue) => ({
    path: formatPath(issue.path),
    message: describeIssue(issue, valueAt(input, issue.path)),
  }));
}

/** The result of `parseBatch`: the valid batch, or every problem found in it. */
export type BatchResult = { ok: true; batch: BeckonEvent[] } | { ok: false; errors: FieldError[] };

/** Validates a parsed `POST /v1/batch` body; events come back without unknown top-level keys. */
export function parseBatch(body: unknown): BatchResult {
  const result = batchSchema.safeParse(body);
  if (result.success) return { ok: true, batch: result.data.batch };
  return { ok: false, errors: toFieldErrors(result.error, body) };
}

/** `['batch', 3, 'timestamp']` → `batch[3].timestamp`; keys that are not identifiers are quoted. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

const EXPECTED: Record<string, string> = {
  record: 'an object',
  object: 'an object',
  array: 'an array',
  string: 'a string',
  number: 'a number',
};

function describeIssue(issue: Issue, received: unknown): string {
  const unit = issue.origin === 'array' ? 'items' : 'characters';
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected ?? ''] ?? String(issue.expected);
      return received === undefined ? `is required (${expected})` : `must be ${expected}, not ${kindOf(received)}`;
    }
    case 'too_small':
      return Number(issue.minimum) === 1 ? 'must not be empty' : `must have at least ${issue.minimum} ${unit}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `must have at most ${issue.maximum} items; send the rest in another request`
        : `must have at most ${issue.maximum} ${unit}`;
    case 'invalid_format':
      return issue.format === 'datetime'
        ? `must be an ISO 8601 date-time with a time zone, such as "2026-01-31T12:00:00.000Z", not ${JSON.stringify(received)}`
        : `must be a valid ${issue.format}`;
    case 'invalid_union':
      return issue.options
        ? `must be one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}, not ${JSON.stringify(received) ?? 'missing'}`
        : 'does not match any accepted shape';
    case 'invalid_value':
      return `must be one of ${(issue.values ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message;
  }
}
