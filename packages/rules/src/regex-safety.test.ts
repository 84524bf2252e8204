import { describe, expect, it } from 'vitest';
import { globSyntaxProblem } from './glob-syntax.js';
import { regexProblem } from './regex-safety.js';

describe('regexProblem', () => {
  it.each([
    '^/post/\\d+$',
    '^/a/[^/]+/b/[^/]+$',
    '(foo|bar)+',
    '[a-z]+[0-9]+',
    '\\d+\\.\\d+',
    '(?:x|y)*z',
    '^(\\d{1,3}\\.){3}\\d{1,3}$',
    '^.*$',
    '[?&]utm_source=(ads|mail)',
    '\\\\1',
    // Shapes that backtrack catastrophically run as an automaton in linear time: accepted (see automaton.test.ts).
    '(a+)+',
    '(\\w*x){2,}',
    '(?:a|b+)*',
    '(a|a)*',
    '.*.*',
    '^/(?:a*)?(?:a*)?(?:a*)?(?:a*)?b',
    '(?<name>a)b\\b[\\b]\\B',
  ])('accepts %s', (source) => {
    expect(regexProblem(source)).toBeUndefined();
  });

  it.each([
    ['(a)\\1', /backreference/],
    ['(?<n>a)\\k<n>', /backreference/],
    ['a(?=b)', /lookaround/],
    ['a(?!b)', /lookaround/],
    ['(?<=a)b', /lookaround/],
    ['(?<!a)b', /lookaround/],
    ['\\p{L}', /without the u flag is the letter "p"/],
    ['(', /not a valid regular expression/],
    ['(a{1000}){1000}', /needs more than 2000 states to match; use smaller counts/],
    ['x'.repeat(513), /513 characters long; a regex may have at most 512/],
  ])('refuses %s', (source, message) => {
    expect(regexProblem(source)).toMatch(message);
  });

  it('says how to write a refused expression instead', () => {
    expect(regexProblem('(a)\\1')).toMatch(/repeat the text itself, or use a glob$/);
    expect(regexProblem('^/(?!admin)')).toMatch(/put what must not match in "exclude"$/);
  });
});

describe('globSyntaxProblem', () => {
  it.each(['/a/[]]', '/a/[!]x]', '/a/[[:alpha:]]', '/a\\[b', '/a/{b,(c|d)}', '/p/+(a|b)'])('accepts %s', (glob) => {
    expect(globSyntaxProblem(glob)).toBeUndefined();
  });

  it.each([
    ['/pri[cing', 'unclosed "["; close it, or write "\\[" for a literal one'],
    ['/a{b', 'unclosed "{"; close it, or write "\\{" for a literal one'],
    ['/a(b', 'unclosed "("; close it, or write "\\(" for a literal one'],
    ['/a}b', 'unmatched "}"; remove it, or write "\\}" for a literal one'],
    ['/a{b)', 'unmatched ")"; remove it, or write "\\)" for a literal one'],
  ])('refuses %s', (glob, problem) => {
    expect(globSyntaxProblem(glob)).toBe(problem);
  });
});
