// The message model as zod/mini schemas. zod checks the shape (every object strict: an unknown key is an
// error, not a no-op); the checks that need code (patterns, durations, ranges, dates, URLs) are refinements.
// Only a few zod schema kinds are used, because each one adds to the bundle of the full package.
import * as z from 'zod/mini';
import { parseDuration } from './duration.js';
import { MESSAGE_ID } from './id.js';
import { compilePattern, PatternError, type PatternKind } from './pattern.js';
import { quote } from './quote.js';
import type { Duration, Layout, Message, PagePattern } from './types.js';

/** A refinement: returns what is wrong with a value, or nothing. */
const refine = <T>(problem: (value: T) => string | undefined) =>
  z.superRefine<T>((value, ctx) => {
    const message = problem(value);
    if (message) ctx.addIssue({ code: 'custom', input: value, message });
  });

const custom = <T>(problem: (value: unknown) => string | undefined) => z.custom<T>().check(refine(problem));

const durationProblem = (value: unknown) =>
  parseDuration(value) === undefined ? `${quote(value)} is not a duration; use "500ms", "30s", "10m", "12h", "7d" or a number of milliseconds` : undefined;

const duration = () => custom<Duration>(durationProblem);

/** One of a few strings (zod's enum would add to the bundle for what this says). */
const oneOf = <T extends string>(...values: T[]) =>
  custom<T>((value) => (values.includes(value as T) ? undefined : `${quote(value)} is not allowed; use "${values.join('", "')}"`));

const pattern = (kind: PatternKind) =>
  custom<PagePattern>((value) => {
    try {
      compilePattern(value as PagePattern, kind);
      return undefined;
    } catch (error) {
      if (error instanceof PatternError) return error.message;
      throw error;
    }
  });

const rules = (kind: PatternKind) =>
  z.strictObject({
    include: z.optional(z.array(pattern(kind))),
    exclude: z.optional(z.array(pattern(kind))),
    caseSensitive: z.optional(z.boolean()),
  });

/** A number from `min` to `max` (and a whole one when `whole`). */
const number = (min: number, max = Infinity, whole = false) =>
  z.number().check(
    refine((value) =>
      value < min || value > max || (whole && !Number.isInteger(value))
        ? `${value} is out of range; use ${whole ? 'a whole number' : 'a number'} ${max === Infinity ? `of at least ${min}` : `from ${min} to ${max}`}`
        : undefined,
    ),
  );

const text = (problem?: (value: string) => string | undefined) => z.string().check(refine((value: string) => (value === '' ? 'must not be empty' : problem?.(value))));

/** Schemes an action may link to; relative URLs count as safe. The same rule as @beckon/elements. */
const url = (schemes: string[], what: string) =>
  text((value) => {
    try {
      // The base only resolves relative URLs; it is never fetched.
      if (schemes.includes(new URL(value, 'https://relative.invalid/').protocol)) return undefined;
    } catch {
      // not a URL at all
    }
    return `${quote(value)} is not allowed; use ${what} or a relative URL`;
  });

const date = () =>
  text((value) =>
    /^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d))?$/i.test(value) && Number.isFinite(Date.parse(value))
      ? undefined
      : `${quote(value)} is not an ISO 8601 date-time with a time zone; write e.g. "2026-12-01T00:00:00Z" or "2026-12-01"`,
  );

/** The layout types, and the positions and options each allows. */
const LAYOUTS: Record<Layout['type'], { positions: string[]; options: string[] }> = {
  modal: { positions: ['center'], options: ['dismissOnBackdrop'] },
  banner: { positions: ['top', 'bottom'], options: ['push'] },
  popup: { positions: ['top-left', 'top-right', 'bottom-left', 'bottom-right'], options: [] },
  inline: { positions: [], options: ['slot', 'selector'] },
};

const layout = z
  .strictObject({
    type: oneOf('modal', 'banner', 'popup', 'inline'),
    position: z.optional(z.string()),
    dismissOnBackdrop: z.optional(z.boolean()),
    push: z.optional(z.boolean()),
    slot: z.optional(z.string()),
    selector: z.optional(z.string()),
  })
  .check(
    z.superRefine((value, ctx) => {
      const { positions, options } = LAYOUTS[value.type];
      for (const key of Object.keys(value)) {
        if (key !== 'type' && key !== 'position' && !options.includes(key)) {
          ctx.addIssue({ code: 'custom', input: value, path: [key], message: `a ${value.type} has no "${key}"; remove it` });
        }
      }
      if (value.position !== undefined && !positions.includes(value.position)) {
        const allowed = positions.length ? `use "${positions.join('", "')}"` : 'remove it';
        ctx.addIssue({ code: 'custom', input: value, path: ['position'], message: `${quote(value.position)} is not a position of a ${value.type}; ${allowed}` });
      }
    }),
  );

const content = z
  .strictObject({
    title: z.optional(z.string()),
    body: z.optional(z.string()),
    image: z.optional(z.strictObject({ src: url(['http:', 'https:'], 'an http(s) URL'), alt: z.string() })),
    actions: z.optional(
      z.array(
        z.strictObject({
          id: text(),
          label: text(),
          url: z.optional(url(['http:', 'https:', 'mailto:', 'tel:'], 'an http(s), mailto or tel URL')),
          style: z.optional(oneOf('primary', 'secondary', 'link')),
          dismiss: z.optional(z.boolean()),
        }),
      ),
    ),
  })
  .check(
    z.superRefine((value, ctx) => {
      const add = (message: string, path: PropertyKey[] = []) => ctx.addIssue({ code: 'custom', input: value, path, message });
      if (!value.title && !value.body) add('needs a "title" or a "body"');
      const actions = value.actions ?? [];
      if (actions.length > 3) add(`has ${actions.length} actions; a message may have at most 3`, ['actions']);
      actions.forEach(({ id }, i) => {
        if (actions.findIndex((other) => other.id === id) < i) add(`"${id}" is the id of another action of this message; action ids must be unique`, ['actions', i, 'id']);
      });
    }),
  );

/** One message (DESIGN.md, "Message model"). */
export const messageSchema = z.strictObject({
  id: text((value) => (MESSAGE_ID.test(value) ? undefined : `${quote(value)} is not a message id; use 1 to 64 of a-z, 0-9, "_" and "-", starting with a letter or digit`)),
  audience: z.optional(oneOf('anonymous', 'identified', 'everyone')),
  pages: z.optional(rules('page')),
  screens: z.optional(rules('screen')),
  trigger: z.optional(
    z.strictObject({
      event: z.optional(text()),
      delay: z.optional(duration()),
      scrollPercent: z.optional(number(0, 100)),
      exitIntent: z.optional(z.boolean()),
      minPageViews: z.optional(number(1, Infinity, true)),
    }),
  ),
  frequency: z.optional(
    z.strictObject({
      maxShows: z.optional(number(1, Infinity, true)),
      minInterval: z.optional(duration()),
      caps: z.optional(
        z.array(
          z.strictObject({
            max: number(1, Infinity, true),
            per: custom<Duration | 'session'>((value) => (value === 'session' ? undefined : durationProblem(value)?.replace('; use', '; use "session",'))),
          }),
        ),
      ),
      stopOnDismiss: z.optional(z.boolean()),
      stopOnAction: z.optional(z.boolean()),
    }),
  ),
  schedule: z.optional(
    z.strictObject({ start: z.optional(date()), end: z.optional(date()) }).check(
      refine(({ start, end }) => (start && end && Date.parse(end) <= Date.parse(start) ? `ends (${end}) before it starts (${start}); the end must come after the start` : undefined)),
    ),
  ),
  priority: z.optional(z.number()),
  holdout: z.optional(z.number().check(refine((value) => (value >= 0 && value < 1 ? undefined : `${value} is out of range; use a share from 0 up to (not including) 1, e.g. 0.1 for a 10% control group`)))),
  goal: z.optional(z.strictObject({ event: text(), window: z.optional(duration()) })),
  layout: layout as unknown as z.ZodMiniType<Layout>,
  content,
}) satisfies z.ZodMiniType<Message, unknown>;
