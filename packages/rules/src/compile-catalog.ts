// compileCatalog: messages → a compiled catalog the runtime evaluates without picomatch or zod.
import type { CompiledCatalog, CompiledMessage, CompiledRules } from './compiled.js';
import { parseDuration } from './duration.js';
import { parseCatalog, validated } from './parse-catalog.js';
import { compileRules, createPool, type PatternKind, type PatternPool } from './pattern.js';
import type { Duration, Message, PageRules } from './types.js';

/**
 * Compiles messages (e.g. `parseCatalog(input).messages`) into plain JSON: patterns become regular-expression
 * sources stored once each, durations milliseconds, schedule bounds epoch milliseconds, defaults are filled
 * in, and messages are ordered best first. Validates like `parseCatalog` and throws a `TypeError` listing
 * every problem (`messages[3].pages.include[1]: …`) when a message is invalid.
 */
export function compileCatalog(messages: readonly Message[]): CompiledCatalog {
  // Messages that came out of parseCatalog are valid already; anything else is checked first.
  const { errors } = messages.every((message) => validated.has(message)) ? { errors: [] } : parseCatalog(messages);
  if (errors.length) throw new TypeError(`compileCatalog: fix these first:\n${errors.map((e) => e.message).join('\n')}`);
  const pool = createPool();
  const compiled = messages.map((message) => compileMessage(message, pool));
  compiled.sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : 1));
  return { v: 1, patterns: pool.patterns, messages: compiled };
}

function compileMessage(message: Message, pool: PatternPool): CompiledMessage {
  const { id, audience = 'anonymous', pages, screens, trigger, frequency = {}, schedule, priority = 0, holdout = 0, goal, layout, content, variants } = message;
  const { stopOnDismiss = true, stopOnAction = true, maxShows, minInterval, caps } = frequency;
  const compiled: CompiledMessage = {
    id,
    audience,
    frequency: {
      stopOnDismiss,
      stopOnAction,
      maxShows,
      minInterval: ms(minInterval),
      caps: caps?.map(({ max, per }) => ({ max, per: per === 'session' ? per : ms(per)! })),
    },
    priority,
    holdout,
    layout,
    content,
    variants,
    pages: pages && rules(pages, 'page', pool),
    screens: screens && rules(screens, 'screen', pool),
    trigger: trigger && compact({ ...trigger, delay: ms(trigger.delay) }),
    schedule: schedule && compact({ start: time(schedule.start), end: time(schedule.end) }),
    goal: goal && { event: goal.event, window: ms(goal.window ?? '7d')! },
  };
  compiled.frequency = compact(compiled.frequency);
  return compact(compiled);
}

/**
 * Leaves absent options out rather than sending them as `undefined`: the compiled catalog is plain JSON. A new
 * object rather than deleted keys: deleting turns an object into a slow dictionary, and evaluate reads these.
 */
function compact<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}

/** Compiled rules, or `undefined` when they allow every page (no include, no exclude). */
function rules(pageRules: PageRules, kind: PatternKind, pool: PatternPool): CompiledRules | undefined {
  const compiled = compileRules(pageRules, kind, pool);
  return compiled.include.length + compiled.exclude.length ? compiled : undefined;
}

function ms(duration: Duration | undefined): number | undefined {
  return duration === undefined ? undefined : parseDuration(duration);
}

function time(date: string | undefined): number | undefined {
  return date === undefined ? undefined : Date.parse(date);
}
