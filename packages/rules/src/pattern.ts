// Turns a page or screen pattern (glob string or object form) into a CompiledPattern: an automaton that
// matches in time linear in the text (automaton.ts), never a backtracking regular expression.
import type { Automaton } from './automaton.js';
import { buildAutomaton, char, PatternProblem, type PatternNode } from './automaton-build.js';
import type { CompiledPattern, CompiledRules } from './compiled.js';
import { parseGlob } from './glob-parse.js';
import { globSyntaxProblem } from './glob-syntax.js';
import { quote } from './quote.js';
import { MAX_REGEX_LENGTH, readRegex } from './regex-safety.js';
import type { PagePattern, PageRules } from './types.js';
import { normalizePath } from './url.js';

/** Patterns are for pages (URLs) or for mobile screen names. */
export type PatternKind = 'page' | 'screen';

/** The longest pattern text accepted, of any form. */
export const MAX_PATTERN_LENGTH = MAX_REGEX_LENGTH;


/** A pattern that cannot be compiled; `message` says why and how to fix it. */
export class PatternError extends TypeError {
  /** Which pattern of a rules object, e.g. `include[1]`, when it came from one. */
  path?: string;
}

/** Compiled patterns, each stored once, with their indexes by content. */
export interface PatternPool {
  patterns: CompiledPattern[];
  indexes: Map<string, number>;
}

/** An empty pool of compiled patterns. */
export function createPool(): PatternPool {
  return { patterns: [], indexes: new Map() };
}

/**
 * Compiles include and exclude lists into `pool`, reusing identical patterns; throws a `PatternError`
 * whose `path` says which pattern (`include[1]`).
 */
export function compileRules(rules: PageRules, kind: PatternKind, pool: PatternPool): CompiledRules {
  const caseSensitive = rules.caseSensitive === true;
  const compileList = (list: PagePattern[] | undefined, name: string) =>
    (list ?? []).map((pattern, i) => {
      try {
        const compiled = compilePattern(pattern, kind, caseSensitive);
        // The compiled pattern follows from these (the automata are large to stringify).
        const key = `${kind}${caseSensitive}${JSON.stringify(pattern)}`;
        let index = pool.indexes.get(key);
        // A copy: the remembered pattern must not change with what a caller does to its catalog.
        if (index === undefined) pool.indexes.set(key, (index = pool.patterns.push({ ...compiled }) - 1));
        return index;
      } catch (error) {
        if (error instanceof PatternError) error.path = `${name}[${i}]`;
        throw error;
      }
    });
  return { include: compileList(rules.include, 'include'), exclude: compileList(rules.exclude, 'exclude') };
}

// Validation and compilation, and many messages, compile the same patterns: each is compiled once.
const compiledPatterns = new Map<string, CompiledPattern>();

/** Compiles one pattern. Throws a `PatternError` with a sentence naming the problem and the fix. */
export function compilePattern(pattern: PagePattern, kind: PatternKind, caseSensitive = false): CompiledPattern {
  const key = `${kind}${caseSensitive}${JSON.stringify(pattern)}`;
  let compiled = compiledPatterns.get(key);
  if (!compiled) {
    compiled = compileNew(pattern, kind, caseSensitive);
    if (compiledPatterns.size > 10_000) compiledPatterns.clear();
    compiledPatterns.set(key, compiled);
  }
  return compiled;
}

function compileNew(pattern: PagePattern, kind: PatternKind, caseSensitive: boolean): CompiledPattern {
  const flags = caseSensitive ? '' : 'i';
  const [entry, extra] = typeof pattern === 'object' && pattern ? (Object.entries(pattern) as Array<[string, unknown]>) : [];
  const key = entry?.[0];
  const source = typeof pattern === 'string' ? pattern : entry?.[1];
  const text = typeof pattern === 'string' ? JSON.stringify(pattern) : `{ "${key}": ${quote(source)} }`;
  const fail: Fail = (problem) => {
    throw new PatternError(`${text} ${problem}`);
  };
  if (typeof pattern !== 'string' && (!key || extra || !['regex', 'contains', 'equals'].includes(key))) {
    throw new PatternError(`${quote(pattern)} is not a pattern; use a glob, or { "regex" | "contains" | "equals": string }`);
  }
  if (typeof source !== 'string' || source === '' || source.trim() !== source) fail('is empty or has spaces around it; remove them');
  if (source.length > MAX_PATTERN_LENGTH) fail(`is ${source.length} characters long; a pattern may have at most ${MAX_PATTERN_LENGTH}`);
  const on = kind === 'page' ? 'pathQuery' : 'screen';
  if (typeof pattern === 'string') return kind === 'page' ? compilePageGlob(pattern, text, flags, fail) : compileGlob(pattern, text, 'screen', flags, fail);
  if (key === 'regex') {
    const automaton = build(() => readRegex(source), flags, fail);
    // The literal start of an expression without alternatives, up to a quantified character.
    const literal = source.includes('|') ? undefined : /^\^((?:[^\\^$.|?*+()[\]{}]|\\[^\w\s])*)([?*{]?)/.exec(source);
    const start = literal?.[1]!.replace(/\\(.)/g, '$1').slice(0, literal[2] ? -1 : undefined);
    return { text, on, prefix: prefixOf(start, flags), automaton, flags };
  }
  if (key === 'contains') return { text, on, contains: flags ? source.toLowerCase() : source, flags };
  if (kind === 'page' && !source.startsWith('/')) fail('must start with "/", e.g. { "equals": "/pricing" }');
  // Without a query it is the path alone; with one, the path and query as written.
  const [path, query] = splitOnce(source, '?');
  // The page's path is normalised (see normalizePath), so the pattern's is too.
  const exact = kind === 'screen' ? source : normalizePath(path) + (query === undefined ? '' : `?${query}`);
  return { text, on: kind === 'page' && query === undefined ? 'path' : on, prefix: prefixOf(exact, flags), automaton: exactly(exact, flags), flags };
}

type Fail = (problem: string) => never;

function compilePageGlob(pattern: string, text: string, flags: string, fail: Fail): CompiledPattern {
  if (pattern.startsWith('!')) fail(`starts with "!"; negation is not supported, put "${pattern.slice(1)}" in "exclude" instead`);
  const [beforeHash, hash] = splitOnce(pattern, '#');
  const [location, query] = splitOnce(beforeHash, '?');
  let compiled: CompiledPattern;
  if (location === '*' || location === '**') {
    compiled = compileGlob('/**', text, 'path', flags, fail);
  } else if (/^\/(?!\/)/.test(location)) {
    compiled = compileGlob(trimSlash(location), text, 'path', flags, fail);
  } else {
    const [host = '', path = ''] = location.replace(/^([a-z][a-z\d+.-]*:)?\/\//i, '').split(/(?=\/)(.*)/s);
    if (!/[.:*]|^localhost$/i.test(host)) fail('must start with "/" for a path (like "/pricing") or with a host (like "shop.example.com/pricing")');
    compiled = compileGlob(host.toLowerCase() + trimSlash(path).replace(/^\/$/, ''), text, host.includes(':') ? 'hostPort' : 'host', flags, fail);
  }
  if (query !== undefined) {
    compiled.query = query
      .split('&')
      .filter(Boolean)
      .map((pair) => {
        const [name, value] = splitOnce(pair, '=');
        if (!name) fail(`has a query parameter without a name ("${pair}"); write it as "name=value"`);
        return value === undefined ? [exactly(name, flags)] : [exactly(name, flags), valueGlob(value, flags)];
      });
  }
  if (hash !== undefined) compiled.hash = valueGlob(hash, flags);
  return compiled;
}

function compileGlob(glob: string, text: string, on: CompiledPattern['on'], flags: string, fail: Fail): CompiledPattern {
  if (glob.startsWith('!') && !glob.startsWith('!(')) fail(`starts with "!"; negation is not supported, put "${glob.slice(1)}" in "exclude" instead`);
  const problem = globSyntaxProblem(glob);
  if (problem) fail(`is not a valid pattern (${problem})`);
  const automaton = build(() => parseGlob(glob), flags, fail);
  // Up to the first special character; `/products/**` also matches `/products`, so without a final "/".
  const literal = glob.split(/[*?[\]{}()!+@\\|]/)[0]!;
  return { text, on, prefix: prefixOf(literal.length < glob.length ? literal.replace(/\/$/, '') : literal, flags), automaton, flags };
}

/** The ASCII start of `literal` (lowercased for case-insensitive patterns): every match begins with it. */
function prefixOf(literal: string | undefined, flags: string): string | undefined {
  const ascii = /^[ -~]*/.exec(literal ?? '')![0];
  return (flags ? ascii.toLowerCase() : ascii) || undefined;
}

/** Query values and hashes: `*` matches any characters (slashes too); everything else is literal. */
function valueGlob(glob: string, flags: string): Automaton {
  const parts = glob.split('*').map(literally);
  const any: PatternNode = { repeat: { set: [0, 0xffff] }, min: 0, max: Infinity };
  return anchored(parts.flatMap((part, i) => (i ? [any, part] : [part])), flags);
}

/** Exactly this text. */
function exactly(text: string, flags: string): Automaton {
  return anchored([literally(text)], flags);
}

function literally(text: string): PatternNode {
  return { seq: Array.from({ length: text.length }, (_, k) => char(text.charCodeAt(k))) };
}

/** The automaton of what `parse` reads; a refusal from the parser or the builder fails the pattern. */
function build(parse: () => PatternNode, flags: string, fail: Fail): Automaton {
  try {
    return buildAutomaton(parse(), flags !== '');
  } catch (error) {
    if (error instanceof PatternProblem) fail(`is refused: it ${error.message}`);
    throw error;
  }
}

function anchored(items: PatternNode[], flags: string): Automaton {
  return buildAutomaton({ seq: [{ assert: -3 }, ...items, { assert: -4 }] }, flags !== '');
}

function trimSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') || '/' : path;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
