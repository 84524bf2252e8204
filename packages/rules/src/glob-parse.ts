// Reads a glob into the tree an automaton is built from (automaton-build.ts), with picomatch's meaning for the
// forms Beckon documents; forms picomatch reads as raw regular expressions, or that could not run as an
// automaton, are refused with a phrase that says what to write instead.
import { char, normalizeRanges, PatternProblem, type PatternNode } from './automaton-build.js';

const SLASH = 47;
const ANY: PatternNode = { set: [0, 0xffff] };
const NOT_SLASH: PatternNode = { set: [SLASH, SLASH], negated: true };
const EMPTY: PatternNode = { seq: [] };
const anything = (set: PatternNode): PatternNode => ({ repeat: set, min: 0, max: Infinity });
/** Where picomatch puts `(?=.)`: something must follow (so `/*` does not match `/`). */
const NOT_END: PatternNode = { assert: -7 };

/** POSIX classes inside brackets (`[[:alpha:]]`), as picomatch reads them. */
const POSIX: Record<string, string> = {
  alnum: '09AZaz', alpha: 'AZaz', ascii: '\0\x7f', blank: '  \t\t', cntrl: '\0\x1f\x7f\x7f', digit: '09', graph: '!~',
  lower: 'az', print: ' ~', punct: '!/:@[`{~', space: '  \t\r', upper: 'AZ', word: '09AZaz__', xdigit: '09AFaf',
};

/** The tree of a glob, anchored at both ends. Throws a `PatternProblem` for a form it refuses. */
export function parseGlob(glob: string): PatternNode {
  let i = 0;
  const refuse = (problem: string): never => {
    throw new PatternProblem(problem);
  };

  /** Items up to one of `stops` (or the end); `context` is where they are: top level, a group or braces. */
  const sequence = (stops: string, context: 'top' | 'group' | 'braces'): PatternNode => {
    const items: PatternNode[] = [];
    while (i < glob.length && !stops.includes(glob[i]!)) {
      const c = glob[i]!;
      const closed = i > 0 && ']})'.includes(glob[i - 1]!) && glob[i - 2] !== '\\';
      if (c === '?' && closed && glob[i - 1] === ')' && glob[i + 1] !== '(') {
        refuse('has "?" after ")", which picomatch reads as a regular expression; write "?(…)" for an optional part');
      } else if (c === '\\') {
        // A trailing backslash is itself.
        items.push(char((glob[i + 1] ?? '\\').charCodeAt(0)));
        i += 2;
      } else if (c === '+' && closed) {
        refuse(`has "+" after "${glob[i - 1]}", which picomatch reads as a regular expression; write "+(…)" for one or more, or "\\+" for a plus sign`);
      } else if ('*?+@!'.includes(c) && glob[i + 1] === '(') {
        if (i === 0 && c !== '@') items.push(NOT_END);
        items.push(extglob(c));
      } else if (c === '(') {
        i--;
        items.push(extglob('@'));
      } else if (c === '/' && context === 'top' && /^\*\*(?:\/|$)/.test(glob.slice(i + 1))) {
        items.push(globstar());
      } else if (c === '*') {
        items.push(stars(context));
      } else if (c === '?') {
        items.push(NOT_SLASH);
        i++;
      } else if (c === '[') {
        items.push(bracket());
      } else if (c === '{') {
        items.push(braces());
      } else if (c === '|') {
        refuse('has "|" outside "(…)"; write "{a,b}" or "@(a|b)" for alternatives, or "\\|" for a literal one');
      } else if (c === '+' && context === 'group') {
        refuse('has "+" inside "(…)", which picomatch reads as a regular expression; write "+(…)" for one or more, or "\\+" for a plus sign');
      } else {
        items.push(char(glob.charCodeAt(i++)));
      }
    }
    return { seq: items };
  };

  // `/**` at the end: the path itself or anything below it; `/**/` in between: any number of segments.
  // At the very start picomatch needs a segment before the next `/` (`/**/a` does not match `/a`), and so it
  // does at the end after a star (`/*/**` does not match `/a`); so does this.
  const globstar = (): PatternNode => {
    const first = i === 0;
    const afterStar = glob[i - 1] === '*' && glob[i - 2] !== '\\';
    i += 1;
    while (glob[i] === '*') i++;
    while (glob.startsWith('/**/', i) || (glob.startsWith('/**', i) && i + 3 === glob.length)) i += 3;
    const atEnd = i === glob.length;
    if (!atEnd) i++;
    const slash = char(SLASH);
    if (atEnd) return first || afterStar ? { seq: [slash, anything(ANY)] } : { alt: [{ seq: [slash, anything(ANY)] }, EMPTY] };
    // In between, picomatch also lets the rest match at the very end ("/a/**/*(b)" matches "/a").
    return first ? { seq: [slash, anything(ANY), slash] } : { alt: [{ seq: [slash, { alt: [{ seq: [anything(ANY), slash] }, EMPTY] }] }, { assert: -4 }] };
  };

  const stars = (context: 'top' | 'group' | 'braces'): PatternNode => {
    const from = i;
    while (glob[i] === '*') i++;
    if (i - from > 2) refuse(`has "${glob.slice(from, i)}"; write "*" within a segment or "**" for any number of segments`);
    const segmentStart = from === 0 || glob[from - 1] === '/';
    if (i - from === 1) return segmentStart && context === 'top' ? { seq: [NOT_END, anything(NOT_SLASH)] } : anything(NOT_SLASH);
    // picomatch reads "**" in other places in several ways (a star, any number of segments, literal text).
    if (context !== 'top' || !segmentStart || (i < glob.length && glob[i] !== '/')) {
      refuse('has "**" that is not a whole path segment; write "*" within a segment, or "**" alone between slashes ("/a/**", "/**/b")');
    }
    // A leading `**/`: any number of segments first.
    if (i === glob.length) return anything(ANY);
    i++;
    return { alt: [{ seq: [anything(ANY), char(SLASH)] }, EMPTY] };
  };

  const extglob = (kind: string): PatternNode => {
    if (kind === '!') refuse('has "!(…)", which cannot be matched without backtracking; put what it excludes in "exclude" instead');
    i += 2;
    const options: PatternNode[] = [];
    const texts: string[] = [];
    for (;;) {
      const from = i;
      options.push(sequence('|)', 'group'));
      texts.push(glob.slice(from, i).trim());
      if (glob[i++] !== '|') break;
    }
    if ((kind === '*' || kind === '+') && riskyInPicomatch(texts)) {
      refuse(`has "${kind}(${texts.join('|')})", which picomatch reads as plain text (an empty alternative, one of only "*" or "?", alternatives of one repeated character that overlap, or a repeat inside it); write it without them, e.g. "${kind}(a|b)"`);
    }
    const group: PatternNode = { alt: options };
    return kind === '@' ? group : { repeat: group, min: kind === '+' ? 1 : 0, max: kind === '?' ? 1 : Infinity };
  };

  const bracket = (): PatternNode => {
    i++;
    if (glob[i] === '!') refuse('has "[!…]", which picomatch reads as the characters "!" and the others; write "[^…]" for any character but those');
    const negated = glob[i] === '^';
    if (negated) i++;
    const ranges: number[] = [];
    for (let first = true; first || glob[i] !== ']'; first = false) {
      const posix = /^\[:([a-z]+):\]/.exec(glob.slice(i));
      if (posix) {
        const spec = POSIX[posix[1]!] ?? refuse(`has an unknown class "[:${posix[1]}:]"; use one of ${Object.keys(POSIX).map((name) => `[:${name}:]`).join(', ')}`);
        for (const unit of spec) ranges.push(unit.charCodeAt(0));
        i += posix[0].length;
        continue;
      }
      const c = glob[i] ?? refuse('has an unclosed "["; close it, or write "\\[" for a literal one');
      if (c === '\\') refuse('has "\\" inside "[…]"; write the character itself (put "]" first and "-" last)');
      if (c === '/') refuse('has "/" inside "[…]"; a bracket matches one character within a segment, write the "/" outside it');
      const range = glob[i + 1] === '-' && glob[i + 2] !== undefined && glob[i + 2] !== ']';
      const high = range ? glob[i + 2]! : c;
      if (high < c) refuse(`has the range "${c}-${high}", whose end comes before its start; write "${high}-${c}"`);
      if (c < '/' && high > '/') refuse(`has the range "${c}-${high}", which includes "/"; a bracket matches one character within a segment`);
      ranges.push(c.charCodeAt(0), high.charCodeAt(0));
      i += range ? 3 : 1;
    }
    i++;
    const set = normalizeRanges(ranges);
    return negated ? { set: normalizeRanges([...set, SLASH, SLASH]), negated } : { set };
  };

  const braces = (): PatternNode => {
    const from = i++;
    const options: PatternNode[] = [];
    for (;;) {
      options.push(sequence(',}', 'braces'));
      if (glob[i++] !== ',') break;
    }
    const inside = glob.slice(from + 1, i - 1);
    if (inside.includes('..')) refuse(`has "{${inside}}", which picomatch reads as a range; list the values instead, e.g. "{1,2,3}"`);
    if (options.length < 2) refuse(`has "{${inside}}" without a ","; write "\\{" and "\\}" for literal braces`);
    return { alt: options };
  };

  const body = sequence('', 'top');
  return { seq: [{ assert: -3 }, body, { assert: -4 }] };
}

/**
 * Whether picomatch takes the alternatives of a `*(…)` or `+(…)` group for a risk of catastrophic backtracking
 * and reads the whole group as plain text instead (an automaton has no such risk, but the meaning must stay).
 */
function riskyInPicomatch(texts: string[]): boolean {
  const repeated = texts.filter((text) => /^(.)\1*$/.test(text) && !/[*?+@!()[\]{}|\\]/.test(text));
  const overlap = repeated.some((a, x) => repeated.some((b, y) => x < y && a[0] === b[0]));
  return (texts.length > 1 && (texts.some((text) => text === '' || /^[*?]+$/.test(text)) || overlap)) || texts.some((text) => /^[*+]\(/.test(text));
}
