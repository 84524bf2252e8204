// Builds the automaton a pattern runs as (see automaton.ts) from the tree its parser (glob or regex) makes.
import { foldUnit, MAX_STATES, type Automaton } from './automaton.js';

/** The most states a pattern may compile to: a test then takes at most 2 × (text length + 1) × this many steps. */
export { MAX_STATES };

/**
 * What a pattern means, as its parser reads it: a set of characters (sorted, disjoint `[lo, hi, lo, hi…]`
 * ranges of UTF-16 units; `negated`: every character but those, decided after case folding as `[^…]` is), a sequence, alternatives, a repetition (`max` may be `Infinity`), or an assertion
 * (the automaton's opcode: -3 start, -4 end, -5 word boundary, -6 not a word boundary, -7 not the end).
 */
export type PatternNode =
  | { set: number[]; negated?: boolean }
  | { seq: PatternNode[] }
  | { alt: PatternNode[] }
  | { repeat: PatternNode; min: number; max: number }
  | { assert: -3 | -4 | -5 | -6 | -7 };

/** A problem that keeps a pattern from compiling, as a phrase with the fix. */
export class PatternProblem extends Error {}

/** Builds the automaton of a tree; ranges are case-folded when `fold`. Throws a `PatternProblem` above MAX_STATES. */
export function buildAutomaton(node: PatternNode, fold: boolean): Automaton {
  // Built from the end backwards: each part is given the state it continues to and returns its entry.
  const states: Automaton = [[-2]];
  const add = (state: number[]) => {
    if (states.length >= MAX_STATES) {
      throw new PatternProblem(`it needs more than ${MAX_STATES} states to match; use smaller counts in "{n,m}" or split it into several patterns`);
    }
    return states.push(state) - 1;
  };
  const emit = (node: PatternNode, next: number): number => {
    if ('set' in node) {
      const ranges = fold ? foldSet(node.set) : node.set;
      return add([next, ...(node.negated ? negateRanges(ranges) : ranges)]);
    }
    if ('assert' in node) return add([node.assert, next]);
    if ('seq' in node) return node.seq.reduceRight((to, item) => emit(item, to), next);
    if ('alt' in node) return add([-1, ...node.alt.map((option) => emit(option, next))]);
    const { repeat, min, max } = node;
    let entry = next;
    if (max === Infinity) {
      // A loop: the split either runs the body once more or leaves.
      const loop = add([-1, -1, next]);
      states[loop]![1] = emit(repeat, loop);
      entry = min ? states[loop]![1]! : loop;
    } else {
      // Optional copies, each of which may leave straight to `next`.
      for (let i = min; i < max; i++) entry = add([-1, emit(repeat, entry), next]);
    }
    for (let i = max === Infinity ? 1 : 0; i < min; i++) entry = emit(repeat, entry);
    return entry;
  };
  const start = emit(node, 0);
  // State 0 must be the start: swap it with the accepting state.
  const swap = (index: number) => (index === 0 ? start : index === start ? 0 : index);
  [states[0], states[start]] = [states[start]!, states[0]!];
  for (const state of states) {
    if (state[0]! >= 0) state[0] = swap(state[0]!);
    // Splits and assertions point at states after their opcode; the accepting state points nowhere.
    else if (state[0] !== -2) for (let k = 1; k < state.length; k++) state[k] = swap(state[k]!);
  }
  return states;
}

/** The set of one character. */
export function char(unit: number): PatternNode {
  return { set: [unit, unit] };
}

/** Sorted, merged ranges from any list of `[lo, hi]` pairs. */
export function normalizeRanges(pairs: number[]): number[] {
  const sorted: Array<[number, number]> = [];
  for (let i = 0; i < pairs.length; i += 2) sorted.push([pairs[i]!, pairs[i + 1]!]);
  sorted.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of sorted) {
    if (out.length && lo <= out[out.length - 1]! + 1) out[out.length - 1] = Math.max(out[out.length - 1]!, hi);
    else out.push(lo, hi);
  }
  return out;
}

/** Every UTF-16 unit not in `ranges`. */
export function negateRanges(ranges: number[]): number[] {
  const out: number[] = [];
  let from = 0;
  for (let i = 0; i < ranges.length; i += 2) {
    if (ranges[i]! > from) out.push(from, ranges[i]! - 1);
    from = ranges[i + 1]! + 1;
  }
  if (from <= 0xffff) out.push(from, 0xffff);
  return out;
}

/** The units whose folded form differs from them, found once. */
let folding: number[] | undefined;

/** The set and the folded form of each of its units: what a folded text unit must be in. */
function foldSet(ranges: number[]): number[] {
  const key = ranges.join();
  let folded = foldedSets.get(key);
  if (!folded) foldedSets.set(key, (folded = foldNew(ranges)));
  return folded;
}

/** Sets folded so far: every `*` of every glob folds the same one. */
const foldedSets = new Map<string, number[]>();

function foldNew(ranges: number[]): number[] {
  folding ??= Array.from({ length: 0x10000 }, (_, unit) => unit).filter((unit) => foldUnit(unit) !== unit);
  const extra: number[] = [];
  for (let i = 0; i < ranges.length; i += 2) {
    // The first unit that folds at or after the range's start (a binary search), then those up to its end.
    let low = 0;
    for (let high = folding.length; low < high; ) {
      const middle = (low + high) >> 1;
      if (folding[middle]! < ranges[i]!) low = middle + 1;
      else high = middle;
    }
    for (let k = low; k < folding.length && folding[k]! <= ranges[i + 1]!; k++) extra.push(foldUnit(folding[k]!), foldUnit(folding[k]!));
  }
  return extra.length ? normalizeRanges([...ranges, ...extra]) : ranges;
}
