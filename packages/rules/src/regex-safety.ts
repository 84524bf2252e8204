// Refuses author regexes that could make matching take exponential (or steep polynomial) time.
//
// The heuristic, on a parse of the expression:
//  1. at most MAX_REGEX_LENGTH characters, and it must compile;
//  2. no backreferences (`\1`, `\k<name>`): they defeat every bound below;
//  3. no repeated group that itself contains a repetition: `(a+)+`, `(\w*x){2,}`, `(?:a|b+)*`
//     (small bounded ones are fine: `(\d{1,3}\.){3}`, as long as the maximums multiply to at most 100);
//  4. no repeated group whose alternatives can start with the same character: `(a|a)*`, `(a|ab)+`, `(\w|_)*`;
//  5. no two unbounded repetitions side by side over characters they share: `.*.*`, `\d+\d*`, `a+a+`.
// "Repeated" means a quantifier that allows more than one match (`*`, `+`, `{2}`, `{1,}`...); `?` is fine.
// Which characters an item can start with is found by testing a set of probe characters, so
// `[a-z]+[0-9]+` passes while `[a-z]+\w+` does not. The rules refuse some safe expressions (`(ab+)+`);
// a glob, `contains` or `equals` can usually say the same thing.

/** The longest regex a pattern may hold. */
export const MAX_REGEX_LENGTH = 512;
/** Nested bounded repetitions are allowed while the product of their maximums stays this small. */
const MAX_NESTED_REPEATS = 100;

/** One element of a sequence, with its quantifier's bounds: a character set (`source`), a group, or an assertion (neither). */
interface Item {
  source?: string;
  branches?: Item[][];
  min: number;
  max: number;
}

/** A token: an escape, a class, a group opening, a closing, an alternation, a quantifier or one character. */
const TOKEN = /\\[pPu]\{[^}]*\}|\\u[\da-f]{4}|\\x[\da-f]{2}|\\c[a-z]|\\k<[^>]*>|\\\d+|\\.|\[(?:\\.|[^\]\\])*\]|\((?:\?(?:[:=!]|<[=!]|<[^>]*>))?|[)|]|[*+?]\??|\{\d+(?:,\d*)?\}\??|[^]/giu;

/** Why a regex source is refused, as a phrase with the fix, or `undefined` when it is accepted. */
export function regexProblem(source: string): string | undefined {
  if (source.length > MAX_REGEX_LENGTH) return `it is ${source.length} characters long; a regex may have at most ${MAX_REGEX_LENGTH}`;
  try {
    new RegExp(source);
  } catch (error) {
    return `it is not a valid regular expression (${(error as Error).message.replace(/^.*: /, '').toLowerCase()}); fix its syntax`;
  }
  const refusal = /\\(?:[1-9]|k<)/.test(source.replace(/\\\\/g, '')) ? 'uses a backreference ("\\1", "\\k<name>")' : check(parse(source), source);
  return refusal && `it ${refusal}, which can make matching extremely slow; simplify it or use a glob, "contains" or "equals"`;
}

/** The alternatives of the expression, each a sequence of items. */
function parse(source: string): Item[][] {
  const stack: Item[][][] = [[[]]];
  for (const [token] of source.matchAll(TOKEN)) {
    const branches = stack[stack.length - 1]!;
    const items = branches[branches.length - 1]!;
    const quantifier = /^(?:[*+?]|\{(\d+)(,(\d*))?\})/.exec(token);
    if (quantifier) {
      const item = items[items.length - 1]!;
      const [, low, comma, high] = quantifier;
      [item.min, item.max] = token[0] === '*' ? [0, Infinity] : token[0] === '+' ? [1, Infinity] : token[0] === '?' ? [0, 1] : [Number(low), comma ? (high ? Number(high) : Infinity) : Number(low)];
    } else if (token[0] === '(') {
      // Lookarounds match no characters: they count as assertions, though their insides are checked.
      const group: Item = { min: 1, max: 1 };
      if (!/^\(\?<?[=!]/.test(token)) group.branches = [[]];
      items.push(group);
      stack.push(group.branches ?? [[]]);
    } else if (token === ')') {
      stack.pop();
    } else if (token === '|') {
      branches.push([]);
    } else {
      items.push(/^(?:[$^]|\\[bB])$/.test(token) ? { min: 1, max: 1 } : { min: 1, max: 1, source: token });
    }
  }
  return stack[0]!;
}

/** The first rule the expression breaks, as a phrase, or `undefined`. */
function check(branches: Item[][], source: string): string | undefined {
  // Probe characters stand in for "every character" when comparing what two items can start with.
  const probes = [...new Set([...Array(95).keys()].map((i) => String.fromCharCode(32 + i)).concat('\t', '\n', 'é', 'Ω', '€', '中', source.match(/[^ -~]/gu) ?? []))];
  const none = () => probes.map(() => false);
  const union = (a: boolean[] | undefined, b: boolean[] | undefined) => a && b && a.map((hit, i) => hit || b[i]!);
  const overlap = (a: boolean[] | undefined, b: boolean[] | undefined) => !a || !b || a.some((hit, i) => hit && b[i]);
  /** What an item can start with: a test per probe, or `undefined` for "anything" (assertions, empty groups). */
  const starts = (item: Item): boolean[] | undefined => {
    if (item.branches) return item.branches.map(sequenceStarts).reduce(union, none());
    if (item.source === undefined) return undefined;
    const re = new RegExp(`^(?:${item.source})$`, 'i');
    return probes.map((probe) => re.test(probe));
  };
  /** A sequence starts with its first items up to the first one that must match; empty-able: "anything". */
  const sequenceStarts = (items: Item[]): boolean[] | undefined => {
    let acc: boolean[] | undefined = none();
    for (const item of items) {
      if (!item.branches && item.source === undefined) continue;
      acc = union(acc, starts(item));
      if (!acc || item.min > 0) return acc;
    }
    return undefined;
  };
  const most = (item: Item): number => Math.max(item.max, ...(item.branches?.flat().map(most) ?? []));
  const walk = (branches: Item[][]): string | undefined => {
    for (const items of branches) {
      for (const [i, item] of items.entries()) {
        const next = items[i + 1];
        if (item.branches) {
          const inner = walk(item.branches);
          if (inner) return inner;
          const nested = Math.max(0, ...item.branches.flat().map(most));
          if (item.max > 1 && nested > 1 && item.max * nested > MAX_NESTED_REPEATS) return 'repeats a group that itself repeats (like "(a+)+")';
          const firsts = item.branches.map(sequenceStarts);
          if (item.max > 1 && firsts.some((a, x) => firsts.some((b, y) => x < y && overlap(a, b)))) return 'repeats a group whose alternatives can match the same text (like "(a|a)*")';
        }
        if (item.max === Infinity && next?.max === Infinity && overlap(starts(item), starts(next))) return 'has two unbounded repetitions in a row over the same characters (like ".*.*")';
      }
    }
    return undefined;
  };
  return walk(branches);
}
