// Tests compiled page and screen rules by running their automata (never a backtracking expression). Each evaluation first walks
// the page's text through a tree of the patterns' literals (the start of every match; `contains` text, found at
// any position), so of thousands of patterns only those that can match are ever tested, and the caller learns
// which those are; each result is remembered, so a pattern shared by many messages is tested once.
import { automatonMatches, type Automaton } from './automaton.js';
import type { CompiledPattern, CompiledRules, PatternSubject } from './compiled.js';
import { parseAddress, parseQuery, type PageAddress } from './url.js';

/** A compiled pattern with its explanations written once. */
interface PreparedPattern {
  on: PatternSubject;
  excludes: string;
  misses: string;
  /** `"i"` or `""` (see CompiledPattern): with `"i"`, literals are matched on lowercased text, automata folded. */
  flags: string;
  automaton: Automaton | undefined;
  contains: string | undefined;
  query: Array<[name: Automaton, value?: Automaton]> | undefined;
  hash: Automaton | undefined;
}

/** A node of the tree of literals: the patterns whose literal ends here, and the next characters. */
interface Node {
  patterns: number[];
  next: Map<string, Node>;
}

/** A catalog's patterns ready for matching. */
export interface PreparedPatterns {
  list: PreparedPattern[];
  /**
   * The tree of literals: first by subject and case mode (`path ` exact, `path i` lowercased, `pathQuery i *`
   * anywhere), then by character. A pattern with no literal sits at its mode's root: it may match any text.
   */
  starts: Node;
}

/** Where rules are tested: the page and/or screen of one evaluation, and the results so far. */
export interface Subject {
  address: PageAddress | undefined;
  texts: Partial<Record<PatternSubject, string>>;
  lower: Partial<Record<PatternSubject, string>>;
  params?: Array<[string, string]>;
  /** Per pattern: 0 not tested yet, 1 matches, 2 does not. */
  memo: Uint8Array;
  /** The patterns that may match this subject, each once: those the walk through the tree reached (memo not 2). */
  candidates: number[];
}

/** Prepares compiled patterns and the tree of their literals. */
export function preparePatterns(patterns: CompiledPattern[]): PreparedPatterns {
  const starts: Node = { patterns: [], next: new Map() };
  const list = patterns.map(({ text, on, prefix, automaton, contains, flags, query, hash }, index): PreparedPattern => {
    // The tree's first level is the subject and case mode, then one level per UTF-16 unit of the literal: text a
    // match starts with, or for `contains` text it has anywhere (` *` in the mode: looked for at every position).
    let node = starts;
    for (const key of [`${on} ${flags}${contains ? ' *' : ''}`, ...(prefix ?? contains ?? '').split('')]) node = node.next.get(key) ?? node.next.set(key, { patterns: [], next: new Map() }).get(key)!;
    node.patterns.push(index);
    return {
      on,
      excludes: `excluded by ${text}`,
      misses: `${text} does not match`,
      flags,
      automaton,
      contains,
      query,
      hash,
    };
  });
  return { list, starts };
}

/** The subject of one evaluation: a page address and/or a screen name. */
export function createSubject(url: string | undefined, screen: string | undefined, patterns: PreparedPatterns): Subject {
  const address = url === undefined ? undefined : parseAddress(url);
  // The address's query and hash ride along; no pattern is tested on them by these names.
  const texts: Subject['texts'] = { ...address, screen };
  const lower: Subject['lower'] = {};
  for (const [on, text] of Object.entries(texts)) if (text !== undefined) lower[on as PatternSubject] = text.toLowerCase();
  const memo = new Uint8Array(patterns.list.length).fill(2);
  const candidates: number[] = [];
  // Patterns whose literal this text has where they need it may match: they are tested when a message asks.
  for (const [mode, root] of patterns.starts.next) {
    const [on, flags, anywhere] = mode.split(' ') as [PatternSubject, string, string?];
    // No such text: the walk stops at the root, whose patterns (with no literal) then fail their test.
    const text = (flags ? lower : texts)[on] ?? '';
    for (let from = 0; from <= (anywhere ? text.length : 0); from++) {
      for (let i = from, node: Node | undefined = root; node; node = node.next.get(text[i++]!)) {
        for (const index of node.patterns) {
          if (memo[index]) candidates.push(index);
          memo[index] = 0;
        }
      }
    }
  }
  return { address, texts, lower, memo, candidates };
}

/** `undefined` when the rules let this subject through, otherwise why not (a sentence fragment). */
export function ruleMiss({ include, exclude }: CompiledRules, patterns: PreparedPatterns, subject: Subject): string | undefined {
  for (const index of exclude) if (matches(index, patterns, subject)) return patterns.list[index]!.excludes;
  for (const index of include) if (matches(index, patterns, subject)) return undefined;
  // No include: every page.
  return include.length > 1 ? `none of ${include.length} patterns match` : include.length ? patterns.list[include[0]!]!.misses : undefined;
}

function matches(index: number, patterns: PreparedPatterns, subject: Subject): boolean {
  if (!subject.memo[index]) subject.memo[index] = test(patterns.list[index]!, subject) ? 1 : 2;
  return subject.memo[index] === 1;
}

function test({ on, flags, automaton, contains, query, hash }: PreparedPattern, subject: Subject): boolean {
  const text = (flags ? subject.lower : subject.texts)[on];
  if (text === undefined) return false;
  const fold = !!flags;
  const run = (automaton: Automaton, text: string) => automatonMatches(automaton, text, fold);
  // pathQuery: the path alone, or with its query (which contains the path).
  const whole = subject.texts[on]!;
  const path = subject.texts.path!;
  // Without a query the path is the whole text: tested once.
  if (automaton ? !(on === 'pathQuery' && path !== whole && run(automaton, path)) && !run(automaton, whole) : !text.includes(contains!)) return false;
  if (hash && !run(hash, subject.address!.hash)) return false;
  for (const [name, value] of query ?? []) {
    if (!(subject.params ??= parseQuery(subject.address!.query)).some(([n, v]) => run(name, n) && (!value || run(value, v)))) return false;
  }
  return true;
}
