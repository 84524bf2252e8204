// compileCatalog: parsed messages → a compiled catalog the runtime evaluates without picomatch or zod.
import type { CompiledCatalog, CompiledFrequency, CompiledMessage, CompiledRules, CompiledTrigger } from './compiled.js';
import { parseDuration } from './duration.js';
import { compileRules, PatternError, type PatternKind } from './pattern.js';
import { quote } from './quote.js';
import type { Duration, Message, PageRules } from './types.js';

/** Default conversion window of a goal. */
const DEFAULT_GOAL_WINDOW = '7d';

/**
 * Compiles messages (from `parseCatalog`) into plain JSON: patterns become regular-expression sources,
 * durations milliseconds, schedule bounds epoch milliseconds, and defaults are filled in. Throws a
 * `TypeError` naming the path (`messages[3].pages.include[1]: …`) for anything it cannot compile.
 */
export function compileCatalog(messages: readonly Message[]): CompiledCatalog {
  if (!Array.isArray(messages)) throw new TypeError('compileCatalog: pass the array of messages, e.g. parseCatalog(input).messages.');
  const seen = new Set<string>();
  return {
    v: 1,
    messages: messages.map((message, index) => {
      if (seen.has(message.id)) throw new TypeError(`messages[${index}].id: "${message.id}" is used twice; ids must be unique.`);
      seen.add(message.id);
      return compileMessage(message, `messages[${index}]`);
    }),
  };
}

function compileMessage(message: Message, path: string): CompiledMessage {
  const compiled: CompiledMessage = {
    id: message.id,
    audience: message.audience ?? 'anonymous',
    frequency: compileFrequency(message, path),
    priority: message.priority ?? 0,
    holdout: message.holdout ?? 0,
    layout: message.layout,
    content: message.content,
  };
  const pages = message.pages && rules(message.pages, 'page', `${path}.pages`);
  if (pages) compiled.pages = pages;
  const screens = message.screens && rules(message.screens, 'screen', `${path}.screens`);
  if (screens) compiled.screens = screens;
  if (message.trigger) compiled.trigger = compileTrigger(message, path);
  if (message.schedule) {
    const { start, end } = message.schedule;
    compiled.schedule = {};
    if (start !== undefined) compiled.schedule.start = time(start, `${path}.schedule.start`);
    if (end !== undefined) compiled.schedule.end = time(end, `${path}.schedule.end`);
  }
  if (message.goal) compiled.goal = { event: message.goal.event, window: ms(message.goal.window ?? DEFAULT_GOAL_WINDOW, `${path}.goal.window`) };
  return compiled;
}

/** Compiled rules, or `undefined` when they allow every page (no include, no exclude). */
function rules(pageRules: PageRules, kind: PatternKind, path: string): CompiledRules | undefined {
  try {
    const compiled = compileRules(pageRules, kind);
    return compiled.include.length + compiled.exclude.length > 0 ? compiled : undefined;
  } catch (error) {
    if (error instanceof PatternError) throw new TypeError(`${path}.${error.path}: ${error.message}`, { cause: error });
    throw error;
  }
}

function compileTrigger(message: Message, path: string): CompiledTrigger {
  const { delay, ...rest } = message.trigger!;
  return delay === undefined ? { ...rest } : { ...rest, delay: ms(delay, `${path}.trigger.delay`) };
}

function compileFrequency(message: Message, path: string): CompiledFrequency {
  const frequency = message.frequency ?? {};
  const compiled: CompiledFrequency = { stopOnDismiss: frequency.stopOnDismiss ?? true, stopOnAction: frequency.stopOnAction ?? true };
  if (frequency.maxShows !== undefined) compiled.maxShows = frequency.maxShows;
  if (frequency.minInterval !== undefined) compiled.minInterval = ms(frequency.minInterval, `${path}.frequency.minInterval`);
  if (frequency.caps) {
    compiled.caps = frequency.caps.map((cap, i) => ({ max: cap.max, per: cap.per === 'session' ? 'session' : ms(cap.per, `${path}.frequency.caps[${i}].per`) }));
  }
  return compiled;
}

function ms(duration: Duration, path: string): number {
  const value = parseDuration(duration);
  if (value === undefined) throw new TypeError(`${path}: ${quote(duration)} is not a duration; use "500ms", "30s", "10m", "12h", "7d" or a number of milliseconds.`);
  return value;
}

function time(date: string, path: string): number {
  const value = Date.parse(date);
  if (!Number.isFinite(value)) throw new TypeError(`${path}: ${quote(date)} is not an ISO 8601 date-time; write e.g. "2026-12-01T00:00:00Z".`);
  return value;
}
