// Runs a compiled pattern: a Thompson automaton simulated as a set of states (no backtracking), so one test
// takes at most 2 × (text length + 1) × (number of states) steps, whatever the pattern and the text.

/**
 * A pattern compiled to an automaton; it starts in state 0. Each state is an array:
 * `[next, lo, hi, lo, hi…]` reads one UTF-16 unit within one of the ranges and goes to `next`;
 * `[-1, a, b…]` goes to each listed state without reading; `[-2]` accepts;
 * `[-3, next]`, `[-4, next]`, `[-5, next]`, `[-6, next]`, `[-7, next]` go to `next` only at the start of the
 * text, at its end, at a word boundary, not at one, and anywhere but the end.
 */
export type Automaton = number[][];

/** Steps taken by every test so far (a state entered, or a state reading a character): for tests of the bound. */
export const automatonSteps = { count: 0 };

/**
 * Whether the automaton matches somewhere in `text` (anywhere, unless it starts at the start). With `fold`, each
 * character is compared case-folded as a case-insensitive JavaScript RegExp does (see `foldUnit`): the ranges
 * were folded when the pattern was compiled.
 */
export function automatonMatches(automaton: Automaton, text: string, fold: boolean): boolean {
  const length = text.length;
  if (entered.length < automaton.length) entered = new Float64Array(automaton.length * 2);
  const anchored = automaton[0]![0] === -3;
  let current: number[] = [];
  let next: number[] = [];
  // Enters a state and those it leads to without reading; keeps those that read; true when one accepts.
  const enter = (state: number, at: number, into: number[]): boolean => {
    stack.push(state);
    while (stack.length) {
      const index = stack.pop()!;
      if (entered[index] === stamp) continue;
      entered[index] = stamp;
      automatonSteps.count++;
      const state = automaton[index]!;
      const op = state[0]!;
      if (op >= 0) into.push(index);
      else if (op === -1) for (let k = 1; k < state.length; k++) stack.push(state[k]!);
      else if (op === -2) {
        // Accepted: the shared stack is left empty for the next test.
        stack.length = 0;
        return true;
      }
      else if (op === -3 ? !at : op === -4 ? at === length : op === -7 ? at < length : isWord(text, at - 1) !== isWord(text, at) === (op === -5)) stack.push(state[1]!);
    }
    return false;
  };
  stamp++;
  if (enter(0, 0, current)) return true;
  for (let at = 0; at < length && (current.length || !anchored); at++) {
    const unit = fold ? foldUnit(text.charCodeAt(at)) : text.charCodeAt(at);
    // A new stamp per position: each state is entered once per position, with no clearing.
    stamp++;
    next.length = 0;
    for (const index of current) {
      automatonSteps.count++;
      const state = automaton[index]!;
      for (let k = 1; k < state.length; k += 2) {
        if (unit >= state[k]! && unit <= state[k + 1]!) {
          if (enter(state[0]!, at + 1, next)) return true;
          break;
        }
      }
    }
    // Not anchored at the start: a match may also begin at the next position.
    if (!anchored && enter(0, at + 1, next)) return true;
    const read = current;
    current = next;
    next = read;
  }
  return false;
}

// Shared by every test (each runs to its end before the next starts): the stamp of the position each state
// was last entered at, and the stack of states to enter.
let entered = new Float64Array(64);
let stamp = 0;
const stack: number[] = [];

function isWord(text: string, at: number): boolean {
  const unit = text.charCodeAt(at);
  return (unit > 47 && unit < 58) || (unit > 64 && unit < 91) || (unit > 96 && unit < 123) || unit === 95;
}

/**
 * A UTF-16 unit as a case-insensitive (non-Unicode) JavaScript RegExp compares it: its upper case when that is
 * one unit, unless that would turn a non-ASCII character into an ASCII one.
 */
export function foldUnit(unit: number): number {
  if (unit < 128) return unit > 96 && unit < 123 ? unit - 32 : unit;
  const upper = String.fromCharCode(unit).toUpperCase();
  return upper.length > 1 || upper.charCodeAt(0) < 128 ? unit : upper.charCodeAt(0);
}
