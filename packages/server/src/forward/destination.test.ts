import { describe, expect, it } from 'vitest';
import { parseDestination, parseDestinations } from './destination.js';

const basic = (user: string) => `Basic ${Buffer.from(user).toString('base64')}`;

describe('parseDestination', () => {
  it('sends the key after # as the Basic auth user name, and never shows it', () => {
    expect(parseDestination('https://api.segment.io/v1/batch#WRITE_KEY')).toEqual({
      name: 'https://api.segment.io/v1/batch',
      url: 'https://api.segment.io/v1/batch',
      authorization: basic('WRITE_KEY:'),
    });
    expect(parseDestination({ url: 'https://hooks.example/in', key: 'k' }).authorization).toBe(basic('k:'));
  });

  it('moves user info into the Authorization header and hides query values when shown', () => {
    const destination = parseDestination('https://user:p%40ss@hooks.example/in?token=abc&team=x');
    expect(destination.authorization).toBe(basic('user:p@ss'));
    expect(destination.url).toBe('https://hooks.example/in?token=abc&team=x');
    expect(destination.name).toBe('https://hooks.example/in?token=***&team=***');
    expect(destination.name).not.toMatch(/abc|p%40ss|user/);
  });

  it('sends no Authorization without a key', () => {
    expect(parseDestination('http://127.0.0.1:9000/hook')).toEqual({ name: 'http://127.0.0.1:9000/hook', url: 'http://127.0.0.1:9000/hook' });
  });

  it('refuses what is not an http(s) URL, naming the option without the key', () => {
    expect(() => parseDestination('hooks.example/in#secret')).toThrow('--forward "hooks.example/in#***" is not a URL');
    expect(() => parseDestination('ftp://hooks.example/in', 'forward[0]')).toThrow('forward[0] ftp://hooks.example/in must be an http:// or https:// URL');
  });

  it('refuses two destinations shown alike', () => {
    expect(() => parseDestinations(['https://h.example/a#k1', 'https://h.example/a#k2'])).toThrow('--forward https://h.example/a is given twice');
  });
});
