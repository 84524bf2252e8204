// Turns a page or screen pattern (glob string or object form) into a CompiledPattern of regex sources.
import picomatch from 'picomatch/posix.js';
import type { CompiledPattern, CompiledRules } from './compiled.js';
import { globSyntaxProblem } from './glob-syntax.js';
import { quote } from './quote.js';
import { MAX_REGEX_LENGTH, regexProblem } from './regex-safety.js';
import type { PagePattern, PageRules } from './types.js';

/** Patterns are for pages (URLs) or for mobile screen names. */
export type PatternKind = 'page' | 'screen';

/** The longest pattern text accepted, of any form. */
export const MAX_PATTERN_LENGTH = MAX_REGEX_LENGTH;

const SCHEME = /^[a-z][a-z\d+.-]*:\/\//i;
/** Characters that make a glob more than a literal. */
const GLOB_SPECIAL = /[*?[\]{}()!+@\\|]/;

/** A pattern that cannot be compiled; `message` says why and how to fix it. */
export class PatternError extends TypeError {
  /** Which pattern of a rules object, e.g. `include[1]`, when it came from one. */
  path?: string;
}

/** Compiles include and exclude lists; throws a `PatternError` whose `path` says which pattern (`include[1]`). */
export function compileRules(rules: PageRules, kind: PatternKind): CompiledRules {
  const caseSensitive = rules.caseSensitive === true;
  const compileList = (list: PagePattern[] | undefined, name: string) =>
    (list ?? []).map((pattern, i) => {
      try {
        return compilePattern(pattern, kind, caseSensitive);
      } catch (error) {
        if (error instanceof PatternError) error.path = `${name}[${i}]`;
        throw error;
      }
    });
  return { include: compileList(rules.include, 'include'), exclude: compileList(rules.exclude, 'exclude') };
}

/** Compiles one pattern. Throws a `PatternError` with a sentence naming the problem and the fix. */
export function compilePattern(pattern: PagePattern, kind: PatternKind, caseSensitive = false): CompiledPattern {
  const flags = caseSensitive ? '' : 'i';
  if (typeof pattern === 'string') return kind === 'page' ? compilePageGlob(pattern, flags) : compileGlob(pattern, pattern, 'screen', flags);
  if (typeof pattern !== 'object' || pattern === null || Array.isArray(pattern)) {
    throw new PatternError(`${quote(pattern)} is not a pattern; use a glob string or one of { "regex" }, { "contains" }, { "equals" }`);
  }
  const keys = Object.keys(pattern);
  const key = keys[0];
  const value = (pattern as Record<string, unknown>)[key ?? ''];
  if (keys.length !== 1 || (key !== 'regex' && key !== 'contains' && key !== 'equals')) {
    throw new PatternError(`${quote(pattern)} is not a pattern object; it needs exactly one key: "regex", "contains" or "equals"`);
  }
  if (typeof value !== 'string' || value === '') throw new PatternError(`{ "${key}": ${quote(value)} } needs a non-empty string`);
  const text = `{ "${key}": ${JSON.stringify(value)} }`;
  if (value.length > MAX_PATTERN_LENGTH) throw new PatternError(`${text} is ${value.length} characters long; a pattern may have at most ${MAX_PATTERN_LENGTH}`);
  const on = kind === 'page' ? 'pathQuery' : 'screen';
  if (key === 'regex') {
    const problem = regexProblem(value);
    if (problem) throw new PatternError(`${text} is refused: ${problem}`);
    return { text, on, re: value, flags: `${flags}u` };
  }
  if (key === 'contains') return { text, on, re: escapeRegExp(value), flags };
  if (kind === 'screen') return { text, on, re: `^${escapeRegExp(value)}$`, flags, prefix: literalPrefix(value, flags) };
  if (!value.startsWith('/')) throw new PatternError(`${text} must start with "/": it is compared with the path (and query), e.g. { "equals": "/pricing" }`);
  const [path, query] = splitOnce(value, '?');
  const exact = trimSlash(path) + (query === undefined ? '' : `?${query}`);
  // Without a query it is the path alone; with one, the path and query as written.
  return query === undefined
    ? { text, on: 'path', re: `^${escapeRegExp(exact)}$`, flags, prefix: literalPrefix(exact, flags) }
    : { text, on, re: `^${escapeRegExp(exact)}$`, flags };
}

function compilePageGlob(text: string, flags: string): CompiledPattern {
  if (text === '') throw new PatternError('"" is an empty pattern; use "/**" for every page, or remove it');
  if (text.length > MAX_PATTERN_LENGTH) throw new PatternError(`"${text.slice(0, 40)}…" is ${text.length} characters long; a pattern may have at most ${MAX_PATTERN_LENGTH}`);
  if (text.trim() !== text) throw new PatternError(`${JSON.stringify(text)} has spaces at its start or end; remove them`);
  if (text.startsWith('!')) throw new PatternError(`"${text}" starts with "!"; negation is not supported, put "${text.slice(1)}" in "exclude" instead`);
  const [beforeHash, hash] = splitOnce(text, '#');
  const [location, query] = splitOnce(beforeHash, '?');
  let compiled: CompiledPattern;
  if (location === '*' || location === '**') {
    compiled = compileGlob(text, '/**', 'path', flags);
  } else if (location.startsWith('/') && !location.startsWith('//')) {
    compiled = compileGlob(text, trimSlash(location), 'path', flags);
  } else {
    const rest = location.replace(SCHEME, '').replace(/^\/\//, '');
    const slash = rest.indexOf('/');
    const host = (slash < 0 ? rest : rest.slice(0, slash)).toLowerCase();
    if (!/[.:*]/.test(host) && host !== 'localhost') {
      throw new PatternError(`"${text}" must start with "/" for a path (like "/pricing") or with a host (like "shop.example.com/pricing")`);
    }
    const path = slash < 0 ? '' : trimSlash(rest.slice(slash));
    compiled = compileGlob(text, host + (path === '/' ? '' : path), host.includes(':') ? 'hostPort' : 'host', flags);
  }
  if (query !== undefined) compiled.query = compileQuery(text, query, flags);
  if (hash !== undefined) compiled.hash = compileValueGlob(text, hash);
  return compiled;
}

function compileGlob(text: string, glob: string, on: CompiledPattern['on'], flags: string): CompiledPattern {
  const problem = globSyntaxProblem(glob);
  if (problem) throw new PatternError(`"${text}" is not a valid pattern (${problem})`);
  const re = picomatch.makeRe(glob, { dot: true }).source;
  if (re === '$^') throw new PatternError(`"${text}" is not a valid pattern (it can never match); check its braces and brackets`);
  const compiled: CompiledPattern = { text, on, re, flags };
  const prefix = literalPrefix(glob, flags);
  if (prefix) compiled.prefix = prefix;
  return compiled;
}

/** `a=1&b=*&c`: each parameter must be present; with `=`, with a value matching the value glob. */
function compileQuery(text: string, query: string, flags: string): Array<[string, string?]> {
  return query.split('&').filter(Boolean).map((pair) => {
    const [name, value] = splitOnce(pair, '=');
    if (name === '') throw new PatternError(`"${text}" has a query parameter without a name ("${pair}"); write it as "name=value"`);
    const lowered = flags.includes('i') ? name.toLowerCase() : name;
    return value === undefined ? [lowered] : [lowered, compileValueGlob(text, value)];
  });
}

/** Query values and hashes: `*` matches any characters (slashes too), `\*` a literal star; the rest is literal. */
function compileValueGlob(text: string, glob: string): string {
  if (glob.endsWith('\\') && !glob.endsWith('\\\\')) throw new PatternError(`"${text}" ends with a lone "\\"; escape a backslash as "\\\\"`);
  const parts = glob.match(/\\.|\*+|[^\\*]+/g) ?? [];
  return `^${parts.map((part) => (part.startsWith('\\') ? escapeRegExp(part[1]!) : part.startsWith('*') ? '.*' : escapeRegExp(part))).join('')}$`;
}

/**
 * The literal start of a glob, which every match begins with: up to the first special character, ASCII only
 * (so lowercasing cannot shift it), without a final "/" (`/products/**` also matches `/products`).
 */
function literalPrefix(glob: string, flags: string): string | undefined {
  const special = glob.search(GLOB_SPECIAL);
  let prefix = special < 0 ? glob : glob.slice(0, special);
  const nonAscii = prefix.search(/[^\x20-\x7e]/);
  if (nonAscii >= 0) prefix = prefix.slice(0, nonAscii);
  if (prefix.length < glob.length && prefix.endsWith('/')) prefix = prefix.slice(0, -1);
  if (flags.includes('i')) prefix = prefix.toLowerCase();
  return prefix === '' ? undefined : prefix;
}

function trimSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') || '/' : path;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
