// Every pattern runs as an automaton: a generated test holds the step count of each run under its stated bound
// on adversarial URLs up to 8,192 characters, and differential tests hold the results equal to picomatch's (the
// glob library whose meaning Beckon's globs keep) and to native RegExp's for the regex subset.
import fc from 'fast-check';
import { createRequire } from 'node:module';
import type picomatchType from 'picomatch';
import { describe, expect, it } from 'vitest';
import { automatonMatches, automatonSteps, MAX_CACHED_SETS, type Automaton } from './automaton.js';
import { buildAutomaton, MAX_STATES } from './automaton-build.js';
import { matchPage } from './match-page.js';
import { compilePattern } from './pattern.js';
import { parseRegex } from './regex-parse.js';
import { normalizePath } from './url.js';

const require = createRequire(import.meta.url);
const parseGlob = require('picomatch/lib/parse.js') as (glob: string, options: object) => { output: string };
void (null as unknown as typeof picomatchType);

/** Runs an automaton once and checks the steps it took against the bound: 2 × (text length + 1) × states. */
function runOnce(automaton: Automaton, text: string, fold: boolean): boolean {
  const before = automatonSteps.count;
  const matched = automatonMatches(automaton, text, fold);
  const steps = automatonSteps.count - before;
  expect(steps).toBeLessThanOrEqual(2 * (text.length + 1) * automaton.length);
  return matched;
}

/** Runs an automaton twice, the second time with the sets the first remembered: both bounded, both the same. */
function runBounded(automaton: Automaton, text: string, fold: boolean): boolean {
  const matched = runOnce(automaton, text, fold);
  expect(runOnce(automaton, text, fold), 'again, with the sets remembered').toBe(matched);
  return matched;
}

const oneOf = <T,>(...values: T[]) => fc.constantFrom(...values);

/** Glob pieces of every shape the grammar allows, over a small alphabet so that matches are frequent. */
const globAtom: fc.Arbitrary<string> = fc.letrec<{ atom: string; alternative: string }>((tie) => ({
  atom: fc.oneof(
    { weight: 6, arbitrary: oneOf('a', 'b', 'A', '.', '-', '*', '[ab]', '[^a]', '[a-c]', '[[:digit:]]', '\\*', '$', '^', '+', '@', '!') },
    { weight: 1, arbitrary: fc.tuple(oneOf('{', '+(', '*(', '@(', '('), fc.array(tie('alternative'), { minLength: 2, maxLength: 3 })).map(([open, options]) => (open === '{' ? `{${options.join(',')}}` : `${open}${options.join('|')})`)) },
  ),
  alternative: fc.array(tie('atom'), { maxLength: 3 }).map((atoms) => atoms.join('')),
})).atom;
const segment = fc.oneof({ weight: 5, arbitrary: fc.array(globAtom, { minLength: 1, maxLength: 4 }).map((atoms) => atoms.join('')) }, { weight: 1, arbitrary: fc.constant('**') });
const glob = fc.array(segment, { minLength: 1, maxLength: 4 }).map((segments) => `/${segments.join('/')}`);

/** Paths over the same alphabet, with the repeated slashes, dots and escapes normalisation removes. */
const path = fc.array(oneOf('a', 'b', 'A', 'c', '1', '.', '-', '/', '//', '%61', '*', '+'), { maxLength: 14 }).map((parts) => `/${parts.join('').replace(/^\/+/, '')}`);

/** Adversarial subjects: a short chunk repeated up to 8,192 characters, then a tail that may spoil the match. */
const longText = fc.tuple(fc.stringMatching(/^[ab/A.1-]{1,4}$/), fc.integer({ min: 1, max: 8192 }), oneOf('', '!', 'b', '/', 'a/b')).map(([chunk, length, tail]) => (chunk.repeat(Math.ceil(length / chunk.length)) + tail).slice(0, 8192));

function picomatchMatches(pattern: string, subject: string): boolean | undefined {
  // picomatch leaves a "." before braces that hold a bracket unescaped (`a.{[ab],c}` reads "a", any character…).
  if (/\.\{[^}]*\[/.test(pattern)) return undefined;
  const trimmed = pattern.length > 1 && pattern.startsWith('/') ? pattern.replace(/\/+$/, '') || '/' : pattern;
  try {
    return new RegExp(`^(?:${parseGlob(trimmed, { dot: true, fastpaths: false }).output})$`, 'i').test(subject);
  } catch {
    return undefined;
  }
}

/** The compiled automaton of a glob, or undefined when the glob is refused. */
function globAutomaton(pattern: string): Automaton | undefined {
  try {
    return compilePattern(pattern, 'page').automaton;
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return undefined;
  }
}

describe('globs as automata', () => {
  it('match as picomatch does on normalised paths, wherever they are accepted', () => {
    let compared = 0;
    fc.assert(
      fc.property(glob, fc.array(path, { minLength: 1, maxLength: 8 }), (pattern, paths) => {
        if (!globAutomaton(pattern)) return;
        for (const raw of paths) {
          const subject = normalizePath(raw);
          const expected = picomatchMatches(pattern, subject);
          if (expected === undefined) continue;
          compared++;
          expect(matchPage(pattern, raw), `${pattern} on ${raw} (${subject})`).toBe(expected);
        }
      }),
      { numRuns: 3000 },
    );
    expect(compared).toBeGreaterThan(5000);
  }, 120_000);

  it('match screen names as picomatch does, "?" and "?(…)" included (in a page pattern "?" starts the query)', () => {
    const screenGlob = fc.array(fc.oneof(globAtom, oneOf('?', '?(a|b)', '?(A)')), { minLength: 1, maxLength: 5 }).map((atoms) => atoms.join(''));
    fc.assert(
      fc.property(screenGlob, fc.array(fc.stringMatching(/^[abAc.-]{0,8}$/), { minLength: 1, maxLength: 8 }), (pattern, names) => {
        let automaton: Automaton;
        try {
          automaton = compilePattern(pattern, 'screen').automaton!;
        } catch {
          return;
        }
        // picomatch's `*` never matches a name that is only "." or "..", a path segment it will not cross.
        for (const name of names.filter((name) => name !== '.' && name !== '..')) {
          const expected = picomatchMatches(pattern, name);
          if (expected !== undefined) expect(runBounded(automaton, name, true), `${pattern} on ${name}`).toBe(expected);
        }
      }),
      { numRuns: 2000 },
    );
    expect(() => compilePattern('Step(a)?', 'screen')).toThrow(/"\?" after "\)", which picomatch reads as a regular expression/);
  });

  it('take steps bounded by 2 × (length + 1) × states on adversarial URLs up to 8,192 characters', () => {
    fc.assert(
      fc.property(glob, longText, (pattern, text) => {
        const automaton = globAutomaton(pattern);
        if (!automaton) return;
        expect(automaton.length).toBeLessThanOrEqual(MAX_STATES);
        runBounded(automaton, `/${text}`, true);
        runBounded(automaton, `/${text}`, false);
      }),
      { numRuns: 300 },
    );
  });

  it('refuse "/(a+)+$" (picomatch made it an exponential regex) with the way to write it', () => {
    expect(() => compilePattern('/(a+)+$', 'page')).toThrow(/"\/\(a\+\)\+\$" is refused: it has "\+" inside "\(…\)", which picomatch reads as a regular expression; write "\+\(…\)" for one or more, or "\\\+" for a plus sign/);
    // What it meant, written as a glob: linear on a long run of "a".
    const automaton = compilePattern('/+(a)$', 'page').automaton!;
    expect(runBounded(automaton, `/${'a'.repeat(8190)}$`, true)).toBe(true);
    expect(runBounded(automaton, `/${'a'.repeat(8190)}!`, true)).toBe(false);
  });

  it.each([
    ['/[!a]', /write "\[\^…\]"/],
    ['/a|b', /"\|" outside "\(…\)"; write "\{a,b\}" or "@\(a\|b\)"/],
    ['/[a-z]+', /"\+" after "\]"/],
    ['/{1..3}', /list the values instead, e.g. "\{1,2,3\}"/],
    ['/{a}', /without a ","; write "\\\{" and "\\\}" for literal braces/],
    ['/{a,**}', /"\*\*" that is not a whole path segment/],
    ['/a**', /"\*\*" that is not a whole path segment; write "\*" within a segment/],
    ['/a/***', /has "\*\*\*"/],
    ['/*(a|)', /picomatch reads as plain text \(an empty alternative/],
    ['/[a/]', /"\/" inside "\[…\]"/],
  ])('refuses %s, saying what to write instead', (pattern, message) => {
    expect(() => compilePattern(pattern, 'page')).toThrow(message);
  });
});

/** Regular expressions of the subset, over a small alphabet. */
const regexSource: fc.Arbitrary<string> = fc.letrec<{ node: string; term: string }>((tie) => ({
  term: fc.oneof(
    { maxDepth: 2, depthIdentifier: 'regex' },
    { weight: 5, arbitrary: oneOf('a', 'b', 'A', '.', '[ab]', '[^a]', '[a-c]', '\\d', '\\w', '\\W', '\\s', '/', '\\/', '[]', '[^]') },
    { weight: 1, arbitrary: oneOf('^', '$', '\\b', '\\B') },
    { weight: 2, arbitrary: fc.tuple(oneOf('(?:', '(', '(?<g>'), tie('node')).map(([open, inner]) => `${open}${inner})`) },
  ),
  node: fc
    .array(fc.tuple(tie('term'), oneOf('', '', '*', '+', '?', '{2}', '{1,3}', '{0,}', '*?', '??')), { minLength: 1, maxLength: 3 })
    .chain((items) => fc.array(fc.constant(items.map(([term, quantifier]) => (/^(?:\^|\$|\\[bB])$/.test(term) ? term : term + quantifier)).join('')), { minLength: 1, maxLength: 2 }))
    .map((options) => options.join('|')),
})).node;

describe('regular expressions as automata', () => {
  it('match as native RegExp does, with and without the i flag', () => {
    fc.assert(
      fc.property(regexSource, fc.array(fc.stringMatching(/^[abAc1 _/.-]{0,8}$/), { minLength: 1, maxLength: 8 }), fc.boolean(), (source, texts, fold) => {
        let native: RegExp;
        try {
          native = new RegExp(source, fold ? 'i' : '');
        } catch {
          return;
        }
        // A named group may appear twice in one generated expression: such sources are skipped above.
        const automaton = buildAutomaton(parseRegex(source), fold);
        for (const text of texts) expect(runBounded(automaton, text, fold), `/${source}/${fold ? 'i' : ''} on ${JSON.stringify(text)}`).toBe(native.test(text));
      }),
      { numRuns: 2000 },
    );
    // Native RegExp, the oracle, backtracks: on a shared 2-core machine some expressions take a while.
  }, 120_000);

  it('take steps bounded by 2 × (length + 1) × states on adversarial texts up to 8,192 characters', () => {
    fc.assert(
      fc.property(regexSource, longText, (source, text) => {
        try {
          new RegExp(source);
        } catch {
          return;
        }
        runBounded(buildAutomaton(parseRegex(source), true), text, true);
      }),
      { numRuns: 300 },
    );
  });

  it('accept ^/(?:a*)?(?:a*)?(?:a*)?(?:a*)?b and run it in linear time on an 8,192-character URL', () => {
    const pattern = { regex: '^/(?:a*)?(?:a*)?(?:a*)?(?:a*)?b' };
    const automaton = compilePattern(pattern, 'page').automaton!;
    expect(runBounded(automaton, `/${'a'.repeat(8191)}`, true)).toBe(false);
    expect(runBounded(automaton, `/${'a'.repeat(8190)}b`, true)).toBe(true);
    expect(matchPage(pattern, `/${'a'.repeat(8191)}`)).toBe(false);
  });

  it('take one step per character once the sets of states are remembered', () => {
    const automaton = compilePattern({ regex: '^/a.*b7$' }, 'page').automaton!;
    const text = `/${'a'.repeat(8000)}`;
    expect(runOnce(automaton, text, true)).toBe(false);
    const before = automatonSteps.count;
    expect(automatonMatches(automaton, text, true)).toBe(false);
    expect(automatonSteps.count - before).toBe(text.length + 1);
    expect(runOnce(automaton, `/${'a'.repeat(7998)}b7`, true)).toBe(true);
  });

  it(`drop the cache past ${MAX_CACHED_SETS} sets and simulate the rest, matching as RegExp does within the bound`, () => {
    // The 10th unit from the end must be "a": a DFA needs 2^10 sets for that, more than are kept.
    const source = '[ab]*a[ab]{9}$';
    const automaton = buildAutomaton(parseRegex(source), false);
    const random = fc.sample(fc.array(oneOf('a', 'b'), { minLength: 4000, maxLength: 4000 }), { numRuns: 4, seed: 7 });
    for (const units of random) {
      for (const text of [units.join(''), `${units.join('')}a${'b'.repeat(9)}`, `${units.join('')}${'b'.repeat(10)}`]) {
        expect(runBounded(automaton, text, false), text.slice(-12)).toBe(new RegExp(source).test(text));
      }
    }
  });

  it(`run an automaton of more than ${MAX_STATES} states (no compiler makes one) without a cache, within the bound`, () => {
    // Any character leads back to a hub that enters every one of 2,500 states reading any character.
    const hub = 2;
    const spokes = Array.from({ length: 2_500 }, (_, i) => hub + 1 + i);
    const automaton: Automaton = [[-1, 1, hub], [-2], [-1, ...spokes], ...spokes.map(() => [hub, 0x21, 0xffff])];
    automaton[1] = [-4, 3 + spokes.length];
    automaton.push([-2]);
    const text = '/'.repeat(2_000);
    expect(runOnce(automaton, text, false)).toBe(true);
    const before = automatonSteps.count;
    expect(automatonMatches(automaton, text, false)).toBe(true);
    expect(automatonSteps.count - before).toBeGreaterThan(text.length * spokes.length);
  });

  it('fold case as a case-insensitive RegExp does, beyond ASCII too', () => {
    for (const [source, text] of [['é', 'É'], ['[à-ÿ]', 'Ö'], ['k', '\u212a'], ['s', '\u017f'], ['σ', 'ς'], ['ǆ', 'ǅ']] as const) {
      expect(automatonMatches(buildAutomaton(parseRegex(source), true), text, true), `${source} ~ ${text}`).toBe(new RegExp(source, 'i').test(text));
    }
  });
});
