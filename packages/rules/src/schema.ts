// The message model as zod/mini schemas: the shape, the ranges, and the checks that need code
// (patterns, durations, dates, URLs). Every object is strict: an unknown key is an error, not a no-op.
import * as z from 'zod/mini';
import { parseDuration } from './duration.js';
import { quote } from './quote.js';
import { MESSAGE_ID } from './id.js';
import { compilePattern, PatternError, type PatternKind } from './pattern.js';
import type { Duration, Message, PagePattern } from './types.js';

/** Schemes an action may link to; relative URLs count as safe. The same rule as @beckon/elements. */
const SAFE_LINK = new Set(['http:', 'https:', 'mailto:', 'tel:']);
const SAFE_IMAGE = new Set(['http:', 'https:']);
const DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/i;

const duration = () =>
  z.custom<Duration>().check(
    z.superRefine((value, ctx) => {
      if (parseDuration(value) === undefined) {
        ctx.addIssue({ code: 'custom', input: value, message: `${quote(value)} is not a duration; use "500ms", "30s", "10m", "12h", "7d" or a number of milliseconds (at least 0)` });
      }
    }),
  );

const pattern = (kind: PatternKind) =>
  z.custom<PagePattern>().check(
    z.superRefine((value, ctx) => {
      try {
        compilePattern(value, kind);
      } catch (error) {
        if (!(error instanceof PatternError)) throw error;
        ctx.addIssue({ code: 'custom', input: value, message: error.message });
      }
    }),
  );

const rules = (kind: PatternKind) =>
  z.strictObject({
    include: z.optional(z.array(pattern(kind))),
    exclude: z.optional(z.array(pattern(kind))),
    caseSensitive: z.optional(z.boolean()),
  });

const whole = (min: number) => z.int().check(z.gte(min, `must be a whole number of at least ${min}`));

const url = (schemes: Set<string>, what: string) =>
  z.string().check(
    z.superRefine((value, ctx) => {
      if (!isSafeUrl(value, schemes)) {
        ctx.addIssue({ code: 'custom', input: value, message: `${quote(value)} is not allowed; use ${what} or a relative URL` });
      }
    }),
  );

const date = () =>
  z.string().check(
    z.superRefine((value, ctx) => {
      if (!DATE.test(value) || !Number.isFinite(Date.parse(value))) {
        ctx.addIssue({ code: 'custom', input: value, message: `${quote(value)} is not an ISO 8601 date-time with a time zone; write e.g. "2026-12-01T00:00:00Z" or "2026-12-01"` });
      }
    }),
  );

const action = z.strictObject({
  id: z.string().check(z.minLength(1, 'must not be empty')),
  label: z.string().check(z.minLength(1, 'must not be empty')),
  url: z.optional(url(SAFE_LINK, 'an http(s), mailto or tel URL')),
  style: z.optional(z.enum(['primary', 'secondary', 'link'])),
  dismiss: z.optional(z.boolean()),
});

const content = z
  .strictObject({
    title: z.optional(z.string()),
    body: z.optional(z.string()),
    image: z.optional(z.strictObject({ src: url(SAFE_IMAGE, 'an http(s) URL'), alt: z.string() })),
    actions: z.optional(z.array(action).check(z.maxLength(3, 'may have at most 3 actions'))),
  })
  .check(
    z.superRefine((value, ctx) => {
      if (!value.title && !value.body) ctx.addIssue({ code: 'custom', input: value, message: 'needs a "title" or a "body"' });
      const seen = new Set<string>();
      value.actions?.forEach((item, i) => {
        if (seen.has(item.id)) ctx.addIssue({ code: 'custom', input: item.id, path: ['actions', i, 'id'], message: `"${item.id}" is used by another action of this message; action ids must be unique` });
        seen.add(item.id);
      });
    }),
  );

/** The layout types, in the order error messages list them. */
export const LAYOUT_TYPES = ['modal', 'banner', 'popup', 'inline'] as const;

const layout = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('modal'), position: z.optional(z.literal('center')), dismissOnBackdrop: z.optional(z.boolean()) }),
  z.strictObject({ type: z.literal('banner'), position: z.optional(z.enum(['top', 'bottom'])), push: z.optional(z.boolean()) }),
  z.strictObject({ type: z.literal('popup'), position: z.optional(z.enum(['top-left', 'top-right', 'bottom-left', 'bottom-right'])) }),
  z.strictObject({ type: z.literal('inline'), slot: z.optional(z.string()), selector: z.optional(z.string()) }),
]);

/** One message (DESIGN.md, "Message model"). */
export const messageSchema = z.strictObject({
  id: z.string().check(z.regex(MESSAGE_ID, 'must be 1 to 64 characters of a-z, 0-9, "_" and "-", starting with a letter or digit')),
  audience: z.optional(z.enum(['anonymous', 'identified', 'everyone'])),
  pages: z.optional(rules('page')),
  screens: z.optional(rules('screen')),
  trigger: z.optional(
    z.strictObject({
      event: z.optional(z.string().check(z.minLength(1, 'must not be empty'))),
      delay: z.optional(duration()),
      scrollPercent: z.optional(z.number().check(z.gte(0, 'must be from 0 to 100'), z.lte(100, 'must be from 0 to 100'))),
      exitIntent: z.optional(z.boolean()),
      minPageViews: z.optional(whole(1)),
    }),
  ),
  frequency: z.optional(
    z.strictObject({
      maxShows: z.optional(whole(1)),
      minInterval: z.optional(duration()),
      caps: z.optional(
        z.array(
          z.strictObject({
            max: whole(1),
            per: z.union([z.literal('session'), duration()]),
          }),
        ),
      ),
      stopOnDismiss: z.optional(z.boolean()),
      stopOnAction: z.optional(z.boolean()),
    }),
  ),
  schedule: z.optional(
    z.strictObject({ start: z.optional(date()), end: z.optional(date()) }).check(
      z.superRefine((value, ctx) => {
        if (value.start && value.end && Date.parse(value.end) <= Date.parse(value.start)) {
          ctx.addIssue({ code: 'custom', input: value.end, path: ['end'], message: `${quote(value.end)} is not after start ${quote(value.start)}; the end must come after the start` });
        }
      }),
    ),
  ),
  priority: z.optional(z.number()),
  holdout: z.optional(z.number().check(z.gte(0, 'must be at least 0 and below 1 (0.1 keeps 10% of visitors as a control group)'), z.lt(1, 'must be at least 0 and below 1 (0.1 keeps 10% of visitors as a control group)'))),
  goal: z.optional(z.strictObject({ event: z.string().check(z.minLength(1, 'must not be empty')), window: z.optional(duration()) })),
  layout,
  content,
}) satisfies z.ZodMiniType<Message, unknown>;

function isSafeUrl(value: string, schemes: Set<string>): boolean {
  if (value.trim() === '') return false;
  try {
    // The base only resolves relative URLs; it is never fetched.
    return schemes.has(new URL(value, 'https://relative.invalid/').protocol);
  } catch {
    return false;
  }
}
