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
  ])('accepts %s', (source) => {
    expect(regexProblem(source)).toBeUndefined();
  });

  it.each([
    ['(a+)+', /repeats a group that itself repeats/],
    ['(\\w*x){2,}', /repeats a group that itself repeats/],
    ['(?:a|b+)*', /repeats a group that itself repeats/],
    ['(.*a){10}', /repeats a group that itself repeats/],
    ['(a|a)*', /alternatives can match the same text/],
    ['(a|ab)+', /alternatives can match the same text/],
    ['(\\w|_)*', /alternatives can match the same text/],
    ['(|a)*', /alternatives can match the same text/],
    ['.*.*', /two unbounded repetitions in a row/],
    ['\\d+\\d*', /two unbounded repetitions in a row/],
    ['[a-z]+\\w+', /two unbounded repetitions in a row/],
    ['a{2,}a+', /two unbounded repetitions in a row/],
    ['(a)\\1', /backreference/],
    ['(?<n>a)\\k<n>', /backreference/],
    ['(', /not a valid regular expression/],
    ['x'.repeat(513), /513 characters long; a regex may have at most 512/],
  ])('refuses %s', (source, message) => {
    expect(regexProblem(source)).toMatch(message);
  });

  it('says how to fix a refused expression', () => {
    expect(regexProblem('(a+)+')).toMatch(/simplify it or use a glob, "contains" or "equals"$/);
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
