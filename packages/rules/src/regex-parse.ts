// Reads the `{ "regex": … }` form into the tree an automaton is built from (automaton-build.ts). The subset of
// JavaScript's syntax (without flags) that an automaton can run: alternatives, groups, classes, escapes,
// quantifiers (lazy ones match the same texts), `^`, `$`, `\b` and `\B`. Backreferences and lookarounds need
// backtracking: they are refused with a phrase that says what to write instead.
import { char, negateRanges, normalizeRanges, PatternProblem, type PatternNode } from './automaton-build.js';

const DIGIT = [48, 57];
const WORD = normalizeRanges([48, 57, 65, 90, 95, 95, 97, 122]);
const SPACE = normalizeRanges([9, 13, 32, 32, 0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f, 0x205f, 0x205f, 0x3000, 0x3000, 0xfeff, 0xfeff]);
/** `.`: anything but a line terminator. */
const DOT = negateRanges([10, 10, 13, 13, 0x2028, 0x2029]);
const CLASSES: Record<string, number[]> = { d: DIGIT, D: negateRanges(DIGIT), w: WORD, W: negateRanges(WORD), s: SPACE, S: negateRanges(SPACE) };
const CONTROLS: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13 };

/** The tree of a regular expression's source, found anywhere in a text as `RegExp.test` does. */
export function parseRegex(source: string): PatternNode {
  let i = 0;
  const refuse = (problem: string): never => {
    throw new PatternProblem(problem);
  };

  const disjunction = (): PatternNode => {
    const options = [alternative()];
    while (source[i] === '|') {
      i++;
      options.push(alternative());
    }
    return options.length > 1 ? { alt: options } : options[0]!;
  };

  const alternative = (): PatternNode => {
    const items: PatternNode[] = [];
    while (i < source.length && source[i] !== '|' && source[i] !== ')') {
      const c = source[i]!;
      if (c === '^' || c === '$') {
        i++;
        items.push({ assert: c === '^' ? -3 : -4 });
      } else if (c === '\\' && (source[i + 1] === 'b' || source[i + 1] === 'B')) {
        items.push({ assert: source[i + 1] === 'b' ? -5 : -6 });
        i += 2;
      } else {
        items.push(quantified(atom()));
      }
    }
    return { seq: items };
  };

  const quantified = (node: PatternNode): PatternNode => {
    const bounds = /^(?:([*+?])|\{(\d+)(?:(,)(\d*))?\})\??/.exec(source.slice(i));
    if (!bounds) return node;
    i += bounds[0].length;
    const [, symbol, low, comma, high] = bounds;
    const [min, max] = symbol ? [symbol === '+' ? 1 : 0, symbol === '?' ? 1 : Infinity] : [Number(low), comma ? (high ? Number(high) : Infinity) : Number(low)];
    return { repeat: node, min, max };
  };

  const atom = (): PatternNode => {
    const c = source[i++]!;
    if (c === '.') return { set: DOT };
    if (c === '[') return bracket();
    if (c === '\\') return { set: escape(false) };
    if (c === '(') {
      if (/^\?<?[=!]/.test(source.slice(i))) {
        refuse('uses a lookaround ("(?=…)", "(?!…)", "(?<=…)", "(?<!…)"), which cannot be matched without backtracking; match what you want with the expression itself, and put what must not match in "exclude"');
      }
      const named = /^\?(?::|<[^>]*>)/.exec(source.slice(i));
      if (!named && source[i] === '?') refuse(`uses "(?${source[i + 1] ?? ''}", which is not supported; use "(…)" or "(?:…)"`);
      i += named ? named[0].length : 0;
      const inside = disjunction();
      i++;
      return inside;
    }
    // Annex B: a "{" that does not start a quantifier, and a lone "]" or "}", are themselves.
    return char(c.charCodeAt(0));
  };

  /** An escape after its backslash: its characters. In a bracket, `\b` is a backspace and `\B` an error. */
  const escape = (inBracket: boolean): number[] => {
    const c = source[i++]!;
    if (/[1-9]/.test(c) || (c === 'k' && source[i] === '<')) {
      refuse('uses a backreference ("\\1", "\\k<name>"), which cannot be matched without backtracking; repeat the text itself, or use a glob');
    }
    if (c === 'p' || c === 'P') refuse(`uses "\\${c}", which without the u flag is the letter "${c}"; write "${c}", or a class such as "[a-z]"`);
    if (CLASSES[c]) return CLASSES[c];
    if (c in CONTROLS) return [CONTROLS[c]!, CONTROLS[c]!];
    if (c === 'b' && inBracket) return [8, 8];
    const hex = c === 'x' ? /^[\da-f]{2}/i.exec(source.slice(i)) : c === 'u' ? /^[\da-f]{4}/i.exec(source.slice(i)) : null;
    if (hex) {
      i += hex[0].length;
      const unit = parseInt(hex[0], 16);
      return [unit, unit];
    }
    if (c === 'c' && /^[a-z]/i.test(source[i] ?? '')) {
      const unit = source.charCodeAt(i++) % 32;
      return [unit, unit];
    }
    if (c === '0' && !/\d/.test(source[i] ?? '')) return [0, 0];
    if (/[\dcxu]/.test(c)) refuse(`uses "\\${c}" in a way JavaScript reads as a legacy escape; write the character it stands for`);
    const unit = c.charCodeAt(0);
    return [unit, unit];
  };

  const bracket = (): PatternNode => {
    const negated = source[i] === '^';
    if (negated) i++;
    const ranges: number[] = [];
    while (source[i] !== ']') {
      if (i >= source.length) refuse('has an unclosed "["; close it');
      const low = member();
      if (source[i] === '-' && source[i + 1] !== ']' && i + 1 < source.length) {
        i++;
        const high = member();
        if (low.length !== 2 || high.length !== 2 || low[0] !== low[1] || high[0] !== high[1]) refuse('has a range with a class escape ("[\\d-x]"); list the characters instead');
        ranges.push(low[0]!, high[0]!);
      } else {
        ranges.push(...low);
      }
    }
    i++;
    return { set: normalizeRanges(ranges), negated };
  };

  const member = (): number[] => {
    const c = source[i++]!;
    if (c !== '\\') return [c.charCodeAt(0), c.charCodeAt(0)];
    if (source[i] === 'B') refuse('has "\\B" inside "[…]"; remove it');
    return escape(true);
  };

  const node = disjunction();
  if (i < source.length) refuse(`has an unmatched ")"; remove it, or write "\\)"`);
  return node;
}
