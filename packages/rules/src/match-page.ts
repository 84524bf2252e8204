// matchPage and matchScreen: one-off tests of rules against a URL or a screen name.
import type { CompiledRules } from './compiled.js';
import { createSubject, preparePatterns, ruleMiss, type PreparedPattern } from './match.js';
import { compileRules, createPool, PatternError, type PatternKind } from './pattern.js';
import type { PagePattern, PageRules } from './types.js';

/** Options of `matchPage` and `matchScreen`. */
export interface MatchOptions {
  /** Match case-sensitively (default false); `caseSensitive` in the rules object wins. */
  caseSensitive?: boolean;
}

/**
 * Whether a page matches `rules`: a pattern (`"/products/**"`, `{ regex }`, `{ contains }`, `{ equals }`) or
 * `{ include?, exclude? }`. `url` is an absolute URL or a path with optional query and hash. Throws a
 * `TypeError` naming the pattern and the fix when a pattern is invalid.
 */
export function matchPage(rules: PagePattern | PageRules, url: string, options: MatchOptions = {}): boolean {
  return matches('page', rules, url, options);
}

/** Whether a mobile screen name matches `rules` (the same patterns, on the screen name). */
export function matchScreen(rules: PagePattern | PageRules, screenName: string, options: MatchOptions = {}): boolean {
  return matches('screen', rules, screenName, options);
}

// Compiling is the slow part; callers often test the same rules many times.
const cache = new Map<string, [CompiledRules, PreparedPattern[]]>();
const CACHE_SIZE = 256;

function matches(kind: PatternKind, rules: PagePattern | PageRules, target: string, options: MatchOptions): boolean {
  const name = kind === 'page' ? 'matchPage' : 'matchScreen';
  if (typeof target !== 'string') throw new TypeError(`${name}: the ${kind === 'page' ? 'url' : 'screen name'} must be a string.`);
  const asRules: PageRules = isPattern(rules) ? { include: [rules] } : rules;
  const caseSensitive = asRules.caseSensitive ?? options.caseSensitive ?? false;
  const key = `${kind}\u0000${caseSensitive}\u0000${JSON.stringify(asRules)}`;
  let compiled = cache.get(key);
  if (!compiled) {
    try {
      const pool = createPool();
      compiled = [compileRules({ ...asRules, caseSensitive }, kind, pool), preparePatterns(pool.patterns)];
    } catch (error) {
      if (error instanceof PatternError) error.message = `${name}: ${isPattern(rules) ? '' : `${error.path}: `}${error.message}`;
      throw error;
    }
    if (cache.size >= CACHE_SIZE) cache.clear();
    cache.set(key, compiled);
  }
  const subject = kind === 'page' ? createSubject(target, undefined) : createSubject(undefined, target);
  return ruleMiss(compiled[0], compiled[1], subject) === undefined;
}

function isPattern(rules: PagePattern | PageRules): rules is PagePattern {
  return typeof rules === 'string' || (typeof rules === 'object' && rules !== null && ('regex' in rules || 'contains' in rules || 'equals' in rules));
}
