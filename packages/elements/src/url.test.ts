import { describe, expect, it } from 'vitest';
import { isSafeUrl } from './url.js';

describe('isSafeUrl', () => {
  it.each([
    'https://example.com/a?b=c#d',
    'http://example.com',
    'HTTPS://EXAMPLE.COM',
    'mailto:hello@example.com',
    'tel:+15551234567',
    '/signup',
    'signup',
    '../up',
    '?coupon=10',
    '#details',
    '//cdn.example.com/x',
  ])('follows %s', (url) => {
    expect(isSafeUrl(url)).toBe(true);
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    '\u0000javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'blob:https://example.com/uuid',
    'file:///etc/passwd',
    'ftp://example.com',
    'http://[::1',
    '',
    '   ',
  ])('refuses %j', (url) => {
    expect(isSafeUrl(url)).toBe(false);
  });

  it('refuses values that are not strings', () => {
    for (const value of [undefined, null, 42, {}, ['https://example.com']]) expect(isSafeUrl(value)).toBe(false);
  });
});
