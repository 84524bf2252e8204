// Tests compiled page and screen rules. Expressions are built once per catalog; each pattern's result is
// remembered for the rest of one evaluation, so a pattern shared by many messages is tested once.
import type { CompiledPattern, CompiledRules, PatternSubject } from './compiled.js';
import { parseAddress, parseQuery, type PageAddress } from './url.js';

/** A compiled pattern with its expressions built. */
export interface PreparedPattern {
  text: string;
  on: PatternSubject;
  re: RegExp;
  query: Array<[name: RegExp, value: RegExp | undefined]> | undefined;
  hash: RegExp | undefined;
}

/** Where rules are tested: the page and/or screen of one evaluation, and the results so far. */
export interface Subject {
  address: PageAddress | undefined;
  screen: string | undefined;
  texts: Partial<Record<PatternSubject, string>>;
  params?: Array<[string, string]>;
  memo: boolean[];
}

/** Builds the regular expressions of compiled patterns. */
export function preparePatterns(patterns: CompiledPattern[]): PreparedPattern[] {
  return patterns.map(({ text, on, re, flags, query, hash }) => ({
    text,
    on,
    re: new RegExp(re, flags),
    query: query?.map(([name, value]) => [new RegExp(name, flags), value === undefined ? undefined : new RegExp(value, flags)]),
    hash: hash === undefined ? undefined : new RegExp(hash, flags),
  }));
}

/** The subject of one evaluation: a page address and/or a screen name. */
export function createSubject(url: string | undefined, screen: string | undefined): Subject {
  const address = url === undefined ? undefined : parseAddress(url);
  const texts: Subject['texts'] = { screen };
  if (address) {
    const path = address.path === '/' ? '' : address.path;
    texts.path = texts.pathQuery = address.path;
    if (address.hostname) {
      texts.host = address.hostname + path;
      texts.hostPort = address.host + path;
    }
  }
  return { address, screen, texts, memo: [] };
}

/** `undefined` when the rules let this subject through, otherwise why not (a sentence fragment). */
export function ruleMiss({ include, exclude }: CompiledRules, patterns: PreparedPattern[], subject: Subject): string | undefined {
  const matches = (index: number) => (subject.memo[index] ??= test(patterns[index]!, subject));
  const excluded = exclude.find(matches);
  if (excluded !== undefined) return `excluded by ${patterns[excluded]!.text}`;
  if (include.length && !include.some(matches)) return include.length > 1 ? `none of ${include.length} patterns match` : `${patterns[include[0]!]!.text} does not match`;
  return undefined;
}

function test({ on, re, query, hash }: PreparedPattern, subject: Subject): boolean {
  const text = subject.texts[on];
  const search = subject.address?.query;
  if (text === undefined) return false;
  // pathQuery: the path alone, or with its query.
  if (!re.test(text) && !(on === 'pathQuery' && search && re.test(`${text}?${search}`))) return false;
  if (hash && !hash.test(subject.address!.hash)) return false;
  return !query || query.every(([name, value]) => (subject.params ??= parseQuery(search!)).some(([n, v]) => name.test(n) && (!value || value.test(v))));
}
