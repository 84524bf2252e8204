// Refuses author regexes that could make matching take exponential (or steep polynomial) time.
//
// The heuristic, on a parse of the expression:
//  1. at most MAX_REGEX_LENGTH characters, and it must compile with the `u` flag (it runs with it, so `\p{L}` works);
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
/** Nested bounded repetitions are allowed while the product of their maximums stays this small: `(\d{1,3}\.){3}`. */
const MAX_NESTED_REPEATS = 100;

/** One element of a sequence: a character set, a group or an assertion, with its quantifier. */
interface Item {
  atom: Atom;
  /** The fewest repetitions the quantifier allows. */
  min: number;
  /** The most repetitions the quantifier allows. */
  max: number;
  /** The quantifier allows more than one repetition. */
  repeats: boolean;
  /** The quantifier has no upper bound. */
  unbounded: boolean;
}

type Atom =
  | { kind: 'chars'; source: string }
  | { kind: 'group'; branches: Item[][] }
  | { kind: 'assertion' };

class Refusal extends Error {}

/** Why a regex source is refused, as a phrase with the fix, or `undefined` when it is accepted. */
export function regexProblem(source: string): string | undefined {
  if (source.length > MAX_REGEX_LENGTH) return `it is ${source.length} characters long; a regex may have at most ${MAX_REGEX_LENGTH}`;
  try {
    new RegExp(source, 'u');
  } catch (error) {
    const reason = String((error as Error).message).replace(/^.*: /, '');
    return `it is not a valid regular expression (${reason.toLowerCase()}); fix its syntax`;
  }
  try {
    new Checker(source).check(new Parser(source).parseAlternation());
    return undefined;
  } catch (error) {
    if (error instanceof Refusal) return `${error.message}, which can make matching extremely slow; ${FIX}`;
    throw error;
  }
}

const FIX = 'simplify it (e.g. "(a+)+" to "a+") or use a glob, "contains" or "equals"';

class Parser {
  private i = 0;
  constructor(private readonly source: string) {}

  parseAlternation(): Item[][] {
    const branches = [this.parseSequence()];
    while (this.source[this.i] === '|') {
      this.i++;
      branches.push(this.parseSequence());
    }
    return branches;
  }

  private parseSequence(): Item[] {
    const items: Item[] = [];
    while (this.i < this.source.length && this.source[this.i] !== '|' && this.source[this.i] !== ')') {
      const atom = this.parseAtom();
      const [min, max] = this.parseQuantifier();
      items.push({ atom, min, max, repeats: max > 1, unbounded: max === Infinity });
    }
    return items;
  }

  private parseAtom(): Atom {
    const s = this.source;
    const start = this.i;
    const char = s[this.i++]!;
    if (char === '(') {
      const lookaround = /^\?(?:<?[=!])/.exec(s.slice(this.i));
      const named = /^\?<[^>]+>/.exec(s.slice(this.i));
      if (s.startsWith('?:', this.i)) this.i += 2;
      else if (lookaround) this.i += lookaround[0].length;
      else if (named) this.i += named[0].length;
      const branches = this.parseAlternation();
      this.i++; // ")"
      return lookaround ? { kind: 'assertion' } : { kind: 'group', branches };
    }
    if (char === '[') {
      while (s[this.i] !== ']') this.i += s[this.i] === '\\' ? 2 : 1;
      this.i++;
      return { kind: 'chars', source: s.slice(start, this.i) };
    }
    if (char === '^' || char === '$') return { kind: 'assertion' };
    if (char === '\\') {
      const next = s[this.i++]!;
      if (/[1-9]/.test(next) || (next === 'k' && s[this.i] === '<')) throw new Refusal(`it uses a backreference ("\\${next}${next === 'k' ? '<…>' : ''}")`);
      if (next === 'b' || next === 'B') return { kind: 'assertion' };
      const escape = /^(?:u\{[\da-f]+\}|u[\da-f]{4}|x[\da-f]{2}|c[a-z]|[pP]\{[^}]*\})/i.exec(s.slice(this.i - 1));
      if (escape) this.i += escape[0].length - 1;
      return { kind: 'chars', source: s.slice(start, this.i) };
    }
    return { kind: 'chars', source: char };
  }

  /** Reads a quantifier after an atom: its [min, max] repetitions, [1, 1] when there is none. */
  private parseQuantifier(): [number, number] {
    const s = this.source;
    const char = s[this.i];
    let range: [number, number] = [1, 1];
    if (char === '*') range = [0, Infinity];
    else if (char === '+') range = [1, Infinity];
    else if (char === '?') range = [0, 1];
    else if (char === '{') {
      const braces = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i));
      if (!braces) return range;
      const min = Number(braces[1]);
      range = [min, braces[2] === undefined ? min : braces[3] === '' ? Infinity : Number(braces[3])];
      this.i += braces[0].length - 1;
    } else return range;
    this.i++;
    if (s[this.i] === '?') this.i++; // lazy
    return range;
  }
}

/** Walks the parsed expression and throws a `Refusal` at the first rule it breaks. */
class Checker {
  /** Characters that stand in for "every character" when comparing what two items can start with. */
  private readonly probes: string[];

  constructor(source: string) {
    const ascii = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
    const others = source.match(/[^\x20-\x7e]/g) ?? [];
    this.probes = [...new Set([...ascii, '\t', '\n', '\u00a0', 'é', 'ß', 'Ω', 'я', '€', '中', ...others])];
  }

  check(branches: Item[][]): void {
    for (const items of branches) {
      items.forEach((item, index) => {
        if (item.atom.kind === 'group') {
          this.check(item.atom.branches);
          if (item.repeats) this.checkRepeatedGroup(item.atom.branches, item.max);
        }
        const next = items[index + 1];
        if (item.unbounded && next?.unbounded && overlap(this.atomStarts(item.atom), this.atomStarts(next.atom))) {
          throw new Refusal('it has two unbounded repetitions in a row over the same characters (like ".*.*")');
        }
      });
    }
  }

  private checkRepeatedGroup(branches: Item[][], max: number): void {
    const inner = Math.max(0, ...branches.flatMap((items) => items.map(mostRepeats)));
    if (inner > 1 && max * inner > MAX_NESTED_REPEATS) throw new Refusal('it repeats a group that itself repeats (like "(a+)+")');
    const starts = branches.map((items) => this.sequenceStarts(items));
    for (let a = 0; a < starts.length; a++) {
      for (let b = a + 1; b < starts.length; b++) {
        if (overlap(starts[a], starts[b])) throw new Refusal('it repeats a group whose alternatives can match the same text (like "(a|a)*")');
      }
    }
  }

  /** The probes a sequence can start with; `undefined` ("anything") when it can match the empty string. */
  private sequenceStarts(items: Item[]): Starts {
    const starts = this.probes.map(() => false);
    for (const item of items) {
      if (item.atom.kind === 'assertion') continue;
      const more = this.atomStarts(item.atom);
      if (!more) return undefined;
      more.forEach((hit, i) => (starts[i] ||= hit));
      if (item.min >= 1) return starts;
    }
    return undefined;
  }

  private atomStarts(atom: Atom): Starts {
    if (atom.kind === 'assertion') return undefined;
    if (atom.kind === 'group') {
      const starts = this.probes.map(() => false);
      for (const items of atom.branches) {
        const more = this.sequenceStarts(items);
        if (!more) return undefined;
        more.forEach((hit, i) => (starts[i] ||= hit));
      }
      return starts;
    }
    const re = compiles(`^(?:${atom.source})$`, 'iu') ?? compiles(`^(?:${atom.source})$`, 'i');
    return re ? this.probes.map((probe) => re.test(probe)) : undefined;
  }
}

function compiles(source: string, flags: string): RegExp | undefined {
  try {
    return new RegExp(source, flags);
  } catch {
    return undefined;
  }
}

/** The largest quantifier maximum in an item and everything nested in it. */
function mostRepeats(item: Item): number {
  const nested = item.atom.kind === 'group' ? item.atom.branches.flatMap((items) => items.map(mostRepeats)) : [];
  return Math.max(item.max, ...nested);
}

/** What an item can start with: a test per probe character, or `undefined` for "anything". */
type Starts = boolean[] | undefined;

function overlap(a: Starts, b: Starts): boolean {
  if (!a || !b) return true;
  return a.some((hit, i) => hit && b[i]);
}
