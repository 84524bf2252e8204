// matchPage and matchScreen: one-off tests of rules against a URL or a screen name.
import { createSubject, preparePatterns, ruleMiss } from './match.js';
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

function matches(kind: PatternKind, rules: PagePattern | PageRules, target: string, options: MatchOptions): boolean {
  const name = kind === 'page' ? 'matchPage' : 'matchScreen';
  if (typeof target !== 'string') throw new TypeError(`${name}: the ${kind === 'page' ? 'url' : 'screen name'} must be a string.`);
  const asRules: PageRules = isPattern(rules) ? { include: [rules] } : rules;
  const unknown = Object.keys(asRules).find((key) => !['include', 'exclude', 'caseSensitive'].includes(key));
  if (unknown) throw new TypeError(`${name}: unknown key "${unknown}"; pass a pattern or { include, exclude, caseSensitive }`);
  const pool = createPool();
  let compiled;
  try {
    // Patterns are compiled once and remembered (see compilePattern), so repeated calls stay cheap.
    compiled = compileRules({ caseSensitive: options.caseSensitive, ...asRules }, kind, pool);
  } catch (error) {
    if (error instanceof PatternError) error.message = `${name}: ${isPattern(rules) ? '' : `${error.path}: `}${error.message}`;
    throw error;
  }
  const patterns = preparePatterns(pool.patterns);
  return ruleMiss(compiled, patterns, kind === 'page' ? createSubject(target, undefined, patterns) : createSubject(undefined, target, patterns)) === undefined;
}

function isPattern(rules: PagePattern | PageRules): rules is PagePattern {
  return typeof rules === 'string' || (typeof rules === 'object' && rules !== null && ('regex' in rules || 'contains' in rules || 'equals' in rules));
}
