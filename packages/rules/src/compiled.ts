// The compiled catalog: plain JSON that the runtime evaluates without a parser, picomatch or zod.
import type { Automaton } from './automaton.js';
import type { Audience, Content, Layout, Variant } from './types.js';

/** What part of a page (or which screen name) a compiled pattern is tested on. */
export type PatternSubject =
  /** The path, e.g. `/products/42` (decoded, without a trailing slash). */
  | 'path'
  /** The host name and path, e.g. `shop.example.com/products/42`. */
  | 'host'
  /** The host with its port and path, e.g. `localhost:3000/products/42`. */
  | 'hostPort'
  /** The path, or the path with its query (`/search?q=shoes`): a match on either counts. */
  | 'pathQuery'
  /** A mobile screen name. */
  | 'screen';

/** One page or screen pattern, compiled into automata (see `Automaton`): matching never backtracks. */
export interface CompiledPattern {
  /** The pattern as the author wrote it, quoted (`"/pricing"`, `{ "regex": "^/p/\\d+$" }`), for explanations. */
  text: string;
  /** What the expression is tested on. */
  on: PatternSubject;
  /** The automaton the subject must match (anywhere for a regex, as a whole otherwise); absent for `contains`. */
  automaton?: Automaton;
  /** For `{ contains }`: text the subject must contain (lowercase when `flags` has `i`). */
  contains?: string;
  /** `"i"` unless the rules are case-sensitive. */
  flags: string;
  /** ASCII text every match starts with (lowercase when `flags` has `i`): a cheap test before the expression. */
  prefix?: string;
  /** Query parameters that must be present: the name's automaton, and the value's (absent: any value). */
  query?: Array<[name: Automaton, value?: Automaton]>;
  /** Automaton the hash (without `#`) must match; absent: the hash is ignored. */
  hash?: Automaton;
}

/** Include and exclude lists as indexes into the catalog's `patterns`. An empty include means every page. */
export interface CompiledRules {
  include: number[];
  exclude: number[];
}

/** A trigger with its delay in milliseconds. */
export interface CompiledTrigger {
  event?: string;
  /** Milliseconds to wait after the page view or event. */
  delay?: number;
  scrollPercent?: number;
  exitIntent?: boolean;
  minPageViews?: number;
}

/** A frequency cap with its window in milliseconds (or per session). */
export interface CompiledCap {
  max: number;
  per: number | 'session';
}

/** Frequency with durations in milliseconds and the defaults filled in. */
export interface CompiledFrequency {
  maxShows?: number;
  /** Milliseconds that must pass between two shows. */
  minInterval?: number;
  caps?: CompiledCap[];
  stopOnDismiss: boolean;
  stopOnAction: boolean;
}

/** A message ready for `evaluate`: rules compiled, durations in ms, schedule in epoch ms, defaults filled. */
export interface CompiledMessage {
  id: string;
  audience: Audience;
  /** Absent: every page. */
  pages?: CompiledRules;
  /** Absent: every screen. */
  screens?: CompiledRules;
  /** Absent: show on page view. */
  trigger?: CompiledTrigger;
  frequency: CompiledFrequency;
  /** Live from `start` (inclusive) to `end` (exclusive), epoch milliseconds. */
  schedule?: { start?: number; end?: number };
  priority: number;
  holdout: number;
  /** The conversion goal, its window in milliseconds. */
  goal?: { event: string; window: number };
  layout: Layout;
  content: Content;
  /** The message's variants as authored (layout and content absent: the message's). */
  variants?: Variant[];
}

/** The output of `compileCatalog`: plain JSON, safe to send over the wire and to cache. Treat it as immutable. */
export interface CompiledCatalog {
  /** Format version of the compiled catalog. */
  v: 1;
  /** Every distinct pattern once; messages' rules refer to them by index, so a shared pattern is tested once. */
  patterns: CompiledPattern[];
  /** Best first: priority, then id. */
  messages: CompiledMessage[];
}

/** True when `value` looks like a compiled catalog this version of the runtime can evaluate. */
export function isCompiledCatalog(value: unknown): value is CompiledCatalog {
  const catalog = value as CompiledCatalog | null;
  return catalog?.v === 1 && Array.isArray(catalog.patterns) && Array.isArray(catalog.messages);
}
