// The message model as zod/mini schemas. zod checks the shape (every object strict: an unknown key is an
// error, not a no-op); the checks that need code (patterns, durations, ranges, dates, URLs) are refinements.
// Only a few zod schema kinds are used, because each one adds to the bundle of the full package.
import * as z from 'zod/mini';
import { parseDuration } from './duration.js';
import { MESSAGE_ID } from './id.js';
import { compilePattern, PatternError, type PatternKind } from './pattern.js';
import { quote } from './quote.js';
import type { Duration, Layout, Message, PagePattern, Variant } from './types.js';

/** A refinement: returns what is wrong with a value, or nothing. */
const refine = <T>(problem: (value: T) => string | undefined) =>
  z.superRefine<T>((value, ctx) => {
    const message = problem(value);
    if (message) ctx.addIssue({ code: 'custom', input: value, message });
  });

const custom = <T>(problem: (value: unknown) => string | undefined) => z.custom<T>().check(refine(problem));

/** A value of one JavaScript type, then `problem`'s checks (zod's string, number and boolean would add to the bundle). */
const typed = <T>(type: string, problem?: (value: T) => string | undefined) =>
  custom<T>((value) =>
    value === undefined
      ? `is missing; add ${type}`
      : typeof value !== { 'a string': 'string', 'a number': 'number', 'true or false': 'boolean' }[type] || !(typeof value !== 'number' || Number.isFinite(value))
        ? `must be ${type} (got ${quote(value)})`
        : problem?.(value as T),
  );
/**
 * A list of `item`s, each item's problems keeping their place (zod's array would add to the bundle). The item
 * schema stays reachable as `item` for "did you mean" (see parse-catalog).
 */
const list = <T>(item: z.ZodMiniType<T>) =>
  Object.assign(
    z.custom<T[]>().check(
      z.superRefine((value, ctx) => {
        if (!Array.isArray(value)) return ctx.addIssue({ code: 'custom', input: value, message: `must be a list (got ${quote(value)})` });
        value.forEach((entry, i) => {
          for (const issue of item.safeParse(entry).error?.issues ?? []) ctx.addIssue({ ...issue, path: [i, ...issue.path] } as never);
        });
      }),
    ),
    { item },
  );

const string = (problem?: (value: string) => string | undefined) => typed<string>('a string', problem);
const boolean = () => typed<boolean>('true or false', undefined);

const durationProblem = (value: unknown) =>
  parseDuration(value) === undefined ? `${quote(value)} is not a duration; use "500ms", "30s", "10m", "12h", "7d" or a number of milliseconds` : undefined;

const duration = () => custom<Duration>(durationProblem);

/** One of a few strings (zod's enum would add to the bundle for what this says). */
const oneOf = <T extends string>(...values: T[]) =>
  custom<T>((value) => (values.includes(value as T) ? undefined : `${value === undefined ? 'is missing' : `${quote(value)} is not allowed`}; use "${values.join('", "')}"`));

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
    include: z.optional(list(pattern(kind))),
    exclude: z.optional(list(pattern(kind))),
    caseSensitive: z.optional(boolean()),
  });

/** A number from `min` to `max` (and a whole one when `whole`). */
const number = (min = -Infinity, max = Infinity, whole = false) =>
  typed<number>('a number', (value) =>
    value < min || value > max || (whole && !Number.isInteger(value))
      ? `${value} is out of range; use ${whole ? 'a whole number' : 'a number'} ${max === Infinity ? `of at least ${min}` : `from ${min} to ${max}`}`
      : undefined,
  );

const text = (problem?: (value: string) => string | undefined) => string((value) => (value === '' ? 'must not be empty' : problem?.(value)));

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
      : `${quote(value)} is not a date; write e.g. "2026-12-01" or "2026-12-01T09:00:00Z"`,
  );

/** The positions and options each layout type allows. */
const LAYOUTS: Record<Layout['type'], [positions: string[], options: string[]]> = {
  modal: [['center'], ['dismissOnBackdrop']],
  banner: [['top', 'bottom'], ['push']],
  popup: [['top-left', 'top-right', 'bottom-left', 'bottom-right'], []],
  inline: [[], ['slot', 'selector']],
};

const layout = z
  .strictObject({
    type: oneOf('modal', 'banner', 'popup', 'inline'),
    position: z.optional(string()),
    dismissOnBackdrop: z.optional(boolean()),
    push: z.optional(boolean()),
    slot: z.optional(string()),
    selector: z.optional(string()),
  })
  .check(
    z.superRefine((value, ctx) => {
      // Checks run even when the type was refused; that is reported already.
      const [positions, options] = Object.hasOwn(LAYOUTS, value.type) ? LAYOUTS[value.type] : [];
      for (const key of options ? Object.keys(value) : []) {
        const problem =
          key === 'position'
            ? positions!.includes(value.position!) || `${quote(value.position)} is not a position of a ${value.type}; ${positions!.length ? `use "${positions!.join('", "')}"` : 'remove it'}`
            : key === 'type' || options!.includes(key) || `a ${value.type} has no "${key}"; remove it`;
        if (problem !== true) ctx.addIssue({ code: 'custom', input: value, path: [key], message: problem });
      }
    }),
  );

const content = z
  .strictObject({
    title: z.optional(string()),
    body: z.optional(string()),
    image: z.optional(z.strictObject({ src: url(['http:', 'https:'], 'an http(s) URL'), alt: string() })),
    actions: z.optional(
      list(
        z.strictObject({
          id: text(),
          label: text(),
          url: z.optional(url(['http:', 'https:', 'mailto:', 'tel:'], 'an http(s), mailto or tel URL')),
          style: z.optional(oneOf('primary', 'secondary', 'link')),
          dismiss: z.optional(boolean()),
        }),
      ),
    ),
  })
  .check(
    z.superRefine((value, ctx) => {
      const add = (message: string, path: PropertyKey[] = []) => ctx.addIssue({ code: 'custom', input: value, path, message });
      if (!value.title && !value.body) add('needs a "title" or a "body"');
      const actions = value.actions ?? [];
      if (actions.length > 3) add('has more than 3 actions; remove some', ['actions']);
      actions.forEach(({ id }, i) => {
        if (actions.findIndex((other) => other.id === id) < i) add(`"${id}" is used twice; action ids must be unique`, ['actions', i, 'id']);
      });
    }),
  );

const id = () => text((value) => (MESSAGE_ID.test(value) ? undefined : `${quote(value)} is not an id; use 1 to 64 of a-z, 0-9, _ and -`));

/** The variants of a message: at least one, ids unique, some weight above 0. */
const variantList = list(
  z.strictObject({
    id: id(),
    weight: number(0),
    layout: z.optional(layout as unknown as z.ZodMiniType<Layout>),
    content: z.optional(content),
  }),
);
const variants = Object.assign(variantList.check(
  z.superRefine((value, ctx) => {
    const add = (message: string, path: PropertyKey[] = []) => ctx.addIssue({ code: 'custom', input: value, path, message });
    // What is not a list, and entries that are not objects, are reported by the list already.
    if (!Array.isArray(value)) return;
    const entries = value.map((entry) => (typeof entry === 'object' && entry ? entry : {}) as Partial<Variant>);
    if (!entries.length) return add('has no variants; add at least one, or remove "variants"');
    entries.forEach(({ id }, i) => {
      if (typeof id === 'string' && entries.findIndex((other) => other.id === id) < i) add(`"${id}" is used twice; variant ids must be unique`, [i, 'id']);
    });
    if (!entries.some(({ weight }) => typeof weight === 'number' && weight > 0)) add('needs a variant with a weight above 0');
  }),
), { item: variantList.item });

/** One message (DESIGN.md, "Message model"). */
export const messageSchema = z.strictObject({
  id: id(),
  audience: z.optional(oneOf('anonymous', 'identified', 'everyone')),
  pages: z.optional(rules('page')),
  screens: z.optional(rules('screen')),
  trigger: z.optional(
    z.strictObject({
      event: z.optional(text()),
      delay: z.optional(duration()),
      scrollPercent: z.optional(number(0, 100)),
      exitIntent: z.optional(boolean()),
      minPageViews: z.optional(number(1, Infinity, true)),
    }),
  ),
  frequency: z.optional(
    z.strictObject({
      maxShows: z.optional(number(1, Infinity, true)),
      minInterval: z.optional(duration()),
      caps: z.optional(
        list(
          z.strictObject({
            max: number(1, Infinity, true),
            per: custom<Duration | 'session'>((value) => (value === 'session' ? undefined : durationProblem(value)?.replace('; use', '; use "session",'))),
          }),
        ),
      ),
      stopOnDismiss: z.optional(boolean()),
      stopOnAction: z.optional(boolean()),
    }),
  ),
  schedule: z.optional(
    z.strictObject({ start: z.optional(date()), end: z.optional(date()) }).check(
      refine(({ start, end }) => (start && end && Date.parse(end) <= Date.parse(start) ? `ends before it starts (${start}); move the end later` : undefined)),
    ),
  ),
  priority: z.optional(number()),
  holdout: z.optional(typed<number>('a number', (value) => (value >= 0 && value < 1 ? undefined : `${value} is out of range; use a share below 1, e.g. 0.1 for 10%`))),
  goal: z.optional(z.strictObject({ event: text(), window: z.optional(duration()) })),
  layout: layout as unknown as z.ZodMiniType<Layout>,
  content,
  variants: z.optional(variants),
}) satisfies z.ZodMiniType<Message, unknown>;
