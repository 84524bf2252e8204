// Which regular expressions a pattern may hold: those that run as an automaton (regex-parse.ts), so matching
// takes time linear in the URL, whatever the expression. Nothing is guessed from the expression's shape.
import { buildAutomaton, PatternProblem, type PatternNode } from './automaton-build.js';
import { parseRegex } from './regex-parse.js';

/** The longest regex a pattern may hold. */
export const MAX_REGEX_LENGTH = 512;

/**
 * The tree of a regex source, or a `PatternProblem` whose phrase (`it uses a backreference…`) says why it is
 * refused and what to write instead: too long, not valid JavaScript, or outside the subset an automaton runs.
 */
export function readRegex(source: string): PatternNode {
  if (source.length > MAX_REGEX_LENGTH) throw new PatternProblem(`is ${source.length} characters long; a regex may have at most ${MAX_REGEX_LENGTH}`);
  try {
    new RegExp(source);
  } catch (error) {
    throw new PatternProblem(`is not a valid regular expression (${(error as Error).message.replace(/^.*: /, '').toLowerCase()}); fix its syntax`);
  }
  return parseRegex(source);
}

/** Why a regex source is refused, as a phrase with the fix (`it uses a backreference…`), or `undefined`. */
export function regexProblem(source: string): string | undefined {
  try {
    buildAutomaton(readRegex(source), false);
    return undefined;
  } catch (error) {
    if (error instanceof PatternProblem) return `it ${error.message}`;
    throw error;
  }
}
