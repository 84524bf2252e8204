import { describe, expect, it } from 'vitest';
import { normalizePath, parseAddress, parseQuery } from './url.js';

describe('parseAddress', () => {
  it('splits an absolute URL into the texts patterns are tested on, lowercasing the host and dropping the trailing slash', () => {
    expect(parseAddress('https://Shop.Example.com:8080/Products/42/?q=1&b=2#Top')).toEqual({
      path: '/Products/42',
      pathQuery: '/Products/42?q=1&b=2',
      host: 'shop.example.com/Products/42',
      hostPort: 'shop.example.com:8080/Products/42',
      query: 'q=1&b=2',
      hash: 'Top',
    });
  });

  it.each([
    ['/pricing/', { path: '/pricing', pathQuery: '/pricing', host: undefined, hostPort: undefined, query: '', hash: '' }],
    ['pricing', { path: '/pricing', pathQuery: '/pricing', host: undefined, hostPort: undefined, query: '', hash: '' }],
    ['https://shop.example.com', { path: '/', pathQuery: '/', host: 'shop.example.com', hostPort: 'shop.example.com', query: '', hash: '' }],
    ['//user:pw@cdn.example.com/a', { path: '/a', pathQuery: '/a', host: 'cdn.example.com/a', hostPort: 'cdn.example.com/a', query: '', hash: '' }],
    ['http://[::1]:3000/x', { path: '/x', pathQuery: '/x', host: '[::1]/x', hostPort: '[::1]:3000/x', query: '', hash: '' }],
    ['  /a?b  ', { path: '/a', pathQuery: '/a?b', host: undefined, hostPort: undefined, query: 'b', hash: '' }],
    ['/caf%C3%A9/%2F#a%20b', { path: '/café', pathQuery: '/café', host: undefined, hostPort: undefined, query: '', hash: 'a b' }],
    ['/bad%E0%A4%A', { path: '/bad%E0%A4%A', pathQuery: '/bad%E0%A4%A', host: undefined, hostPort: undefined, query: '', hash: '' }],
  ])('%s', (url, expected) => {
    expect(parseAddress(url)).toEqual(expected);
  });
});

describe('parseQuery', () => {
  it('decodes names and values (+ as a space; malformed ones stay as written) and keeps repeats in order', () => {
    expect(parseQuery('q=red+shoes&tag=a&tag=b&empty=&flag&&x=%2F%ZZ')).toEqual([
      ['q', 'red shoes'],
      ['tag', 'a'],
      ['tag', 'b'],
      ['empty', ''],
      ['flag', ''],
      ['x', '%2F%ZZ'],
    ]);
  });
});

describe('normalizePath', () => {
  it.each([
    ['/store//signup', '/store/signup'],
    ['/store/signup%00', '/store/signup'],
    ['/store/sign%00up', '/store/signup'],
    ['/store/signup\u0000\t', '/store/signup'],
    ['/store%2Fsignup', '/store/signup'],
    ['/store%2fsignup/', '/store/signup'],
    ['/store/./signup', '/store/signup'],
    ['/store/x/../signup', '/store/signup'],
    ['/store/x/%2E%2E/signup', '/store/signup'],
    ['/../../store/signup', '/store/signup'],
    ['\\store\\signup', '/store/signup'],
    ['/%73tore/%53ignup', '/store/Signup'],
    ['/a%252Fb', '/a%2Fb'],
    ['/caf%E9', '/caf%E9'],
    ['/a/...', '/a/...'],
    ['', '/'],
    ['//', '/'],
  ])('%j → %j', (path, expected) => {
    expect(normalizePath(path)).toBe(expected);
  });
});
