import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkOrigin, corsPolicy, isLoopback } from './cors.js';

const request = (origin: string | undefined, host = 'api.example:8787') => ({ headers: { origin, host } }) as unknown as IncomingMessage;

describe('CORS policy', () => {
  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopback(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'shop.example', '128.0.0.1']) expect(isLoopback(host), host).toBe(false);
  });

  it('allows any origin only when none is configured and the server listens on loopback', () => {
    expect(corsPolicy(undefined, '127.0.0.1').anyOrigin).toBe(true);
    expect(corsPolicy([], '0.0.0.0').anyOrigin).toBe(false);
    expect(corsPolicy(undefined, undefined).anyOrigin).toBe(false);
    expect(corsPolicy(['https://shop.example'], '127.0.0.1').anyOrigin).toBe(false);
    expect(corsPolicy(['*'], '0.0.0.0').anyOrigin).toBe(true);
  });

  it('allows configured origins (normalised), the same host, and requests without Origin', () => {
    const policy = corsPolicy(['https://shop.example/'], '0.0.0.0');
    expect(checkOrigin(policy, request('https://shop.example'))).toEqual({ origin: 'https://shop.example', allowed: true });
    expect(checkOrigin(policy, request('https://evil.example'))).toEqual({ origin: 'https://evil.example', allowed: false });
    expect(checkOrigin(policy, request('http://api.example:8787'))?.allowed).toBe(true);
    expect(checkOrigin(policy, request('null'))?.allowed).toBe(false);
    expect(checkOrigin(policy, request(undefined))).toBeUndefined();
  });

  it('refuses a configured origin that is not one, naming it', () => {
    expect(() => corsPolicy(['shop.example'], '0.0.0.0')).toThrow('origin "shop.example" is not an origin');
    expect(() => corsPolicy(['ftp://shop.example'], '0.0.0.0')).toThrow('must start with http:// or https://');
  });
});
