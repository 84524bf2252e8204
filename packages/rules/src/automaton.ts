// Runs a compiled pattern: a Thompson automaton simulated as a set of states (no backtracking), so one test
// takes at most 2 × (text length + 1) × (number of states) steps, whatever the pattern and the text.
// The sets of states reached are remembered per automaton, with where each leads on each character (a lazy DFA):
// a test that meets them again takes one step per character instead of one per state. A step found in the cache
// counts one, a step simulated at most 2 × states, so the bound holds either way; when an automaton has remembered
// MAX_CACHED_SETS sets its cache is dropped and the rest of that text simulated.

/**
 * A pattern compiled to an automaton; it starts in state 0. Each state is an array:
 * `[next, lo, hi, lo, hi…]` reads one UTF-16 unit within one of the ranges and goes to `next`;
 * `[-1, a, b…]` goes to each listed state without reading; `[-2]` accepts;
 * `[-3, next]`, `[-4, next]`, `[-5, next]`, `[-6, next]`, `[-7, next]` go to `next` only at the start of the
 * text, at its end, at a word boundary, not at one, and anywhere but the end.
 */
export type Automaton = number[][];

/**
 * Steps taken by every test so far (a state entered, a state reading a character, or a remembered set followed on
 * one character): for tests of the bound.
 */
export const automatonSteps = { count: 0 };

/** The most states a compiled pattern has; a larger automaton (no compiler made it) is run without a cache. */
export const MAX_STATES = 2_000;

/**
 * The most sets of states an automaton remembers: a few hundred covers real patterns, and with MAX_STATES bounds
 * the memory of a cache.
 */
export const MAX_CACHED_SETS = 256;

/**
 * A set of states reached at some position: those that read (sorted), whether one accepted, and the sets it leads
 * to, filled in as they are first needed. A step is known by the unit read and what follows it (the end, a word
 * character or another: with the unit, all the assertions after it depend on); an ASCII unit by its class.
 */
interface StateSet {
  readonly states: readonly number[];
  readonly accepts: boolean;
  readonly ascii: Array<StateSet | undefined>;
  readonly other: Map<number, StateSet>;
}

/**
 * An automaton's remembered sets, by their states; `start` is before the text, where nothing has been read.
 * `classes` gives each ASCII unit its class: units every state reads alike, and alike word characters or not.
 */
interface SetCache {
  start: StateSet;
  readonly sets: Map<string, StateSet>;
  readonly classes: Uint8Array;
  readonly width: number;
}

const caches = new WeakMap<Automaton, SetCache>();

/**
 * Whether the automaton matches somewhere in `text` (anywhere, unless it starts at the start). With `fold`, each
 * character is compared case-folded as a case-insensitive JavaScript RegExp does (see `foldUnit`): the ranges
 * were folded when the pattern was compiled.
 */
export function automatonMatches(automaton: Automaton, text: string, fold: boolean): boolean {
  if (entered.length < automaton.length) entered = new Float64Array(automaton.length * 2);
  const cache = automaton.length > MAX_STATES ? undefined : (caches.get(automaton) ?? newCache(automaton));
  const classes = cache?.classes;
  const anchored = automaton[0]![0] === -3;
  // Undefined without a cache, or once it is dropped: the rest of the text is simulated.
  let set = cache?.start;
  let states: readonly number[] = [];
  // Position -1 is before the text: nothing is read there, and state 0 is entered at position 0.
  for (let at = -1; at < text.length && (states.length || !anchored || at < 0); at++) {
    const unit = at < 0 ? 0 : fold ? foldUnit(text.charCodeAt(at)) : text.charCodeAt(at);
    const follows = at + 1 === text.length ? 0 : isWord(text, at + 1) ? 1 : 2;
    const ascii = classes && unit < 128 ? classes[unit]! * 3 + follows : -1;
    const known: StateSet | undefined = set && (ascii < 0 ? set.other.get(unit * 3 + follows) : set.ascii[ascii]);
    if (known) {
      automatonSteps.count++;
      if (known.accepts) return true;
      set = known;
      states = known.states;
      continue;
    }
    const accepts = step(automaton, text, at, unit, states, reached);
    if (set && cache) {
      const found = remember(cache, accepts);
      if (found && ascii < 0) set.other.set(unit * 3 + follows, found);
      else if (found) set.ascii[ascii] = found;
      set = found;
    }
    if (accepts) return true;
    if (set) states = set.states;
    else {
      // The states reached are read at the next position: the other buffer takes the one after.
      states = reached;
      reached = reached === buffers[0] ? buffers[1] : buffers[0];
    }
  }
  return false;
}

function newCache(automaton: Automaton): SetCache {
  const classes = new Uint8Array(128);
  const seen = new Map<string, number>();
  for (let unit = 0; unit < 128; unit++) {
    // Which states read the unit, and whether it is a word character (a folded unit is one exactly when it is).
    let signature = isWord(String.fromCharCode(unit), 0) ? '1' : '0';
    for (const state of automaton) {
      let reads = false;
      for (let k = 1; state[0]! >= 0 && k < state.length; k += 2) reads ||= unit >= state[k]! && unit <= state[k + 1]!;
      signature += reads ? '1' : '0';
    }
    if (!seen.has(signature)) seen.set(signature, seen.size);
    classes[unit] = seen.get(signature)!;
  }
  const width = seen.size * 3;
  const cache = { start: newSet(width, [], false), sets: new Map(), classes, width };
  caches.set(automaton, cache);
  return cache;
}

function newSet(width: number, states: readonly number[], accepts: boolean): StateSet {
  return { states, accepts, ascii: new Array<StateSet | undefined>(width), other: new Map() };
}

/** The set in `reached` (or the accepting one), remembered; undefined when the cache was full, and is now empty. */
function remember(cache: SetCache, accepts: boolean): StateSet | undefined {
  const states = accepts ? [] : reached.slice().sort((a, b) => a - b);
  const id = accepts ? '' : `,${states.join()}`;
  let set = cache.sets.get(id);
  if (set) return set;
  if (cache.sets.size >= MAX_CACHED_SETS) {
    cache.sets.clear();
    cache.start = newSet(cache.width, [], false);
    return undefined;
  }
  cache.sets.set(id, (set = newSet(cache.width, states, accepts)));
  return set;
}

/**
 * Reads `unit` at position `at` in each of `current` and enters the states it leads to at the next position, and
 * state 0 there too unless the automaton is anchored at the start; keeps in `into` those that read. True when one
 * accepts.
 */
function step(automaton: Automaton, text: string, at: number, unit: number, current: readonly number[], into: number[]): boolean {
  // A new stamp per position: each state is entered once per position, with no clearing.
  stamp++;
  into.length = 0;
  for (const index of current) {
    automatonSteps.count++;
    const state = automaton[index]!;
    for (let k = 1; k < state.length; k += 2) {
      if (unit >= state[k]! && unit <= state[k + 1]!) {
        if (enter(automaton, text, state[0]!, at + 1, into)) return true;
        break;
      }
    }
  }
  // Not anchored at the start: a match may also begin at the next position.
  return (at < 0 || automaton[0]![0] !== -3) && enter(automaton, text, 0, at + 1, into);
}

/** Enters a state and those it leads to without reading; keeps those that read; true when one accepts. */
function enter(automaton: Automaton, text: string, first: number, at: number, into: number[]): boolean {
  stack.push(first);
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
    else if (op === -3 ? !at : op === -4 ? at === text.length : op === -7 ? at < text.length : isWord(text, at - 1) !== isWord(text, at) === (op === -5)) stack.push(state[1]!);
  }
  return false;
}

// Shared by every test (each runs to its end before the next starts): the stamp of the position each state
// was last entered at, the stack of states to enter, and two buffers of states for simulating without the cache.
let entered = new Float64Array(64);
let stamp = 0;
const stack: number[] = [];
const buffers: [number[], number[]] = [[], []];
let reached = buffers[0];

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
