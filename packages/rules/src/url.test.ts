import { describe, expect, it } from 'vitest';
import { parseAddress, parseQuery } from './url.js';

describe('parseAddress', () => {
  it('splits an absolute URL, lowercasing the host and dropping the trailing slash', () => {
    expect(parseAddress('https://Shop.Example.com:8080/Products/42/?q=1&b=2#Top')).toEqual({
      hostname: 'shop.example.com',
      host: 'shop.example.com:8080',
      path: '/Products/42',
      query: 'q=1&b=2',
      hash: 'Top',
    });
  });

  it.each([
    ['/pricing/', { hostname: '', host: '', path: '/pricing', query: '', hash: '' }],
    ['pricing', { hostname: '', host: '', path: '/pricing', query: '', hash: '' }],
    ['https://shop.example.com', { hostname: 'shop.example.com', host: 'shop.example.com', path: '/', query: '', hash: '' }],
    ['//user:pw@cdn.example.com/a', { hostname: 'cdn.example.com', host: 'cdn.example.com', path: '/a', query: '', hash: '' }],
    ['http://[::1]:3000/x', { hostname: '[::1]', host: '[::1]:3000', path: '/x', query: '', hash: '' }],
    ['  /a?b  ', { hostname: '', host: '', path: '/a', query: 'b', hash: '' }],
    ['/caf%C3%A9/%2F#a%20b', { hostname: '', host: '', path: '/café/%2F', query: '', hash: 'a b' }],
    ['/bad%E0%A4%A', { hostname: '', host: '', path: '/bad%E0%A4%A', query: '', hash: '' }],
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
