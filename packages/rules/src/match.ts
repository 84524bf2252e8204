// Tests compiled page and screen rules. Expressions are built once per pattern and shared between messages;
// each result is remembered for the rest of one evaluation.
import type { CompiledPattern, CompiledRules, PatternSubject } from './compiled.js';
import { parseAddress, parseQuery, type PageAddress } from './url.js';

/** A compiled pattern with its expressions built, and a slot in the per-evaluation memo. */
interface PreparedPattern {
  text: string;
  on: PatternSubject;
  re: RegExp;
  ignoreCase: boolean;
  prefix: string | undefined;
  query: Array<[name: string, value: RegExp | undefined]> | undefined;
  hash: RegExp | undefined;
  slot: number;
}

/** Rules whose patterns are prepared. */
export interface PreparedRules {
  include: PreparedPattern[];
  exclude: PreparedPattern[];
}

/** Prepared patterns, one per distinct compiled pattern. */
export interface PatternTable {
  byKey: Map<string, PreparedPattern>;
}

/** Where rules are tested: the page or screen of one evaluation, plus the memo of pattern results. */
export interface Subject {
  address: PageAddress | undefined;
  screen: string | undefined;
  /** Subject texts by kind, and their lowercase forms for prefix tests. */
  texts: Partial<Record<PatternSubject, string>>;
  lower: Partial<Record<PatternSubject, string>>;
  params: Map<string, string[]> | undefined;
  lowerParams: Map<string, string[]> | undefined;
  /** 0: not tested yet, 1: matches, 2: does not. */
  memo: Uint8Array;
}

/** A new, empty table of prepared patterns. */
export function createPatternTable(): PatternTable {
  return { byKey: new Map() };
}

/** Builds the expressions of `rules` once; identical patterns share one prepared pattern. */
export function prepareRules(table: PatternTable, rules: CompiledRules): PreparedRules {
  return {
    include: rules.include.map((pattern) => preparePattern(table, pattern)),
    exclude: rules.exclude.map((pattern) => preparePattern(table, pattern)),
  };
}

function preparePattern(table: PatternTable, pattern: CompiledPattern): PreparedPattern {
  const key = `${pattern.on}\u0000${pattern.flags}\u0000${pattern.re}\u0000${JSON.stringify(pattern.query ?? null)}\u0000${pattern.hash ?? ''}`;
  const known = table.byKey.get(key);
  if (known) return known;
  const flags = /^i?u?$/.test(pattern.flags) ? pattern.flags : '';
  const ignoreCase = flags.startsWith('i');
  const prepared: PreparedPattern = {
    text: pattern.text,
    on: pattern.on,
    re: expression(pattern.re, flags, pattern.text),
    ignoreCase,
    prefix: pattern.prefix || undefined,
    query: pattern.query?.map(([name, value]) => [ignoreCase ? name.toLowerCase() : name, value === undefined ? undefined : expression(value, flags, pattern.text)]),
    hash: pattern.hash === undefined ? undefined : expression(pattern.hash, flags, pattern.text),
    slot: table.byKey.size,
  };
  table.byKey.set(key, prepared);
  return prepared;
}

function expression(source: string, flags: string, text: string): RegExp {
  try {
    return new RegExp(source, flags);
  } catch {
    throw new TypeError(`The compiled pattern "${text}" holds an invalid regular expression; compile the catalog again with compileCatalog.`);
  }
}

/** The subject of one evaluation: a page address and/or a screen name. */
export function createSubject(url: string | undefined, screen: string | undefined, table: PatternTable): Subject {
  const address = url === undefined ? undefined : parseAddress(url);
  const texts: Subject['texts'] = {};
  if (address) {
    const path = address.path === '/' ? '' : address.path;
    texts.path = address.path;
    texts.pathQuery = address.path;
    if (address.hostname !== '') {
      texts.host = address.hostname + path;
      texts.hostPort = address.host + path;
    }
  }
  if (screen !== undefined) texts.screen = screen;
  const lower: Subject['lower'] = {};
  for (const kind of Object.keys(texts) as PatternSubject[]) lower[kind] = texts[kind]!.toLowerCase();
  return { address, screen, texts, lower, params: undefined, lowerParams: undefined, memo: new Uint8Array(table.byKey.size) };
}

/** `undefined` when the rules let this subject through, otherwise why not (a sentence fragment). */
export function ruleMiss(rules: PreparedRules, subject: Subject): string | undefined {
  for (const pattern of rules.exclude) {
    if (matches(pattern, subject)) return `excluded by "${pattern.text}"`;
  }
  if (rules.include.length === 0) return undefined;
  for (const pattern of rules.include) {
    if (matches(pattern, subject)) return undefined;
  }
  return rules.include.length === 1 ? `"${rules.include[0]!.text}" does not match` : `none of the ${rules.include.length} include patterns match`;
}

function matches(pattern: PreparedPattern, subject: Subject): boolean {
  const known = subject.memo[pattern.slot];
  if (known) return known === 1;
  const result = test(pattern, subject);
  subject.memo[pattern.slot] = result ? 1 : 2;
  return result;
}

function test(pattern: PreparedPattern, subject: Subject): boolean {
  const text = subject.texts[pattern.on];
  if (text === undefined) return false;
  if (pattern.prefix !== undefined && !(pattern.ignoreCase ? subject.lower[pattern.on]! : text).startsWith(pattern.prefix)) return false;
  if (!pattern.re.test(text)) {
    // pathQuery: the path alone did not match; try it with its query.
    const query = subject.address?.query;
    if (pattern.on !== 'pathQuery' || !query || !pattern.re.test(`${text}?${query}`)) return false;
  }
  if (pattern.hash && !pattern.hash.test(subject.address?.hash ?? '')) return false;
  if (pattern.query) {
    const params = queryParams(subject, pattern.ignoreCase);
    for (const [name, value] of pattern.query) {
      const values = params.get(name);
      if (!values || (value && !values.some((v) => value.test(v)))) return false;
    }
  }
  return true;
}

function queryParams(subject: Subject, lowercase: boolean): Map<string, string[]> {
  const query = subject.address?.query ?? '';
  if (lowercase) return (subject.lowerParams ??= parseQuery(query, true));
  return (subject.params ??= parseQuery(query, false));
}
