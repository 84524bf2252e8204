import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkHost, hostName, hostPolicy } from './host-check.js';

const withHost = (host: string | undefined) => ({ headers: { host } }) as unknown as IncomingMessage;
/** 'trusted', 'served' (answered, not trusted as the server's own origin) or the status of the refusal. */
function verdict(policy: ReturnType<typeof hostPolicy>, host: string | undefined): string | number {
  try {
    return checkHost(policy, withHost(host)) ? 'trusted' : 'served';
  } catch (error) {
    return (error as { status: number }).status;
  }
}

describe('Host check', () => {
  it('reads the name of a Host header without port or brackets', () => {
    expect(['Shop.Example:8787', 'shop.example', '[::1]:80', '[::1]', '::1', '127.0.0.1:9'].map(hostName)).toEqual(['shop.example', 'shop.example', '::1', '::1', '::1', '127.0.0.1']);
  });

  it('on loopback, serves loopback names and addresses only', () => {
    const policy = hostPolicy(undefined, '127.0.0.1');
    for (const host of ['127.0.0.1:8787', 'localhost:8787', 'app.localhost', '[::1]:8787', '127.0.0.2']) expect(verdict(policy, host), host).toBe('trusted');
    expect(verdict(policy, 'evil.example:8787')).toBe(421);
    expect(verdict(policy, '10.0.0.5')).toBe('trusted');
    expect(verdict(policy, undefined)).toBe('served');
  });

  it('elsewhere, serves any name but trusts only listed names and addresses as the same origin', () => {
    const open = hostPolicy(undefined, '0.0.0.0');
    expect(verdict(open, 'collect.example.com')).toBe('served');
    expect(verdict(open, '10.0.0.5:8787')).toBe('trusted');
    const listed = hostPolicy(['collect.example.com', '*.shop.example'], '0.0.0.0');
    expect(verdict(listed, 'collect.example.com:443')).toBe('trusted');
    expect(verdict(listed, 'eu.shop.example')).toBe('trusted');
    expect(verdict(listed, 'localhost')).toBe('trusted');
    expect(verdict(listed, 'evil.example')).toBe(421);
    expect(verdict(hostPolicy(['*'], '127.0.0.1'), 'evil.example')).toBe('served');
    expect(verdict(hostPolicy(undefined, '10.0.0.5'), '10.0.0.5')).toBe('trusted');
  });

  it('refuses an allowed host that is not a host name, naming it', () => {
    expect(() => hostPolicy(['https://shop.example/'], '127.0.0.1')).toThrow('allowed host "https://shop.example/" is not a host name');
  });
});
