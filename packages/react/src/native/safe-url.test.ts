// The action-URL rule used where `URL` cannot be trusted (React Native) against the rule <beckon-message> follows.
import { isSafeUrl } from '@beckon/elements';
import { describe, expect, it } from 'vitest';
import { isSafeActionUrl } from './safe-url.js';

const CASES = [
  '/signup', 'signup', '../up', '?q=1', '#top', '//cdn.example.com/x', 'https://example.com/a?b#c', 'HTTP://EXAMPLE.COM',
  'mailto:hi@example.com', 'tel:+123', '  https://example.com  ', '1http:x',
  'javascript:alert(1)', 'JavaScript:alert(1)', ' javascript:alert(1)', '\tjavascript:alert(1)', 'java\tscript:alert(1)',
  'java\nscript:alert(1)', '\u0000javascript:x', 'data:text/html,hi', 'blob:https://example.com/id', 'vbscript:x', 'c:\\path', 'ftp://example.com',
  '', '   ', 42, undefined, null,
];

describe('isSafeActionUrl', () => {
  it.each(CASES.map((url) => [JSON.stringify(url), url]))('%s: the same answer as isSafeUrl of @beckon/elements', (_, url) => {
    expect(isSafeActionUrl(url)).toBe(isSafeUrl(url));
  });

  it('refuses every scheme but http(s), mailto and tel, however it is disguised', () => {
    expect(CASES.filter((url) => isSafeActionUrl(url))).toEqual([
      '/signup', 'signup', '../up', '?q=1', '#top', '//cdn.example.com/x', 'https://example.com/a?b#c', 'HTTP://EXAMPLE.COM',
      'mailto:hi@example.com', 'tel:+123', '  https://example.com  ', '1http:x',
    ]);
  });
});
