import { describe, expect, it } from 'vitest';
import { checkingInterval, DEFAULT_LIMITS, parseLimitArg, resolveLimits } from './limits.js';

describe('connection limits', () => {
  it('fills in the defaults and keeps the headers timeout within the request timeout', () => {
    expect(resolveLimits()).toEqual(DEFAULT_LIMITS);
    expect(resolveLimits({ requestTimeout: 4_000, maxConnectionsPerClient: 0 })).toMatchObject({ requestTimeout: 4_000, headersTimeout: 4_000, maxConnectionsPerClient: 0 });
  });

  it('refuses a limit that is not a whole number, naming it', () => {
    expect(() => resolveLimits({ idleTimeout: -1 })).toThrow('idleTimeout must be a whole number of 0 or more, not -1');
    expect(() => resolveLimits({ requestTimeout: 0 })).toThrow('requestTimeout must be a whole number above 0, not 0');
    expect(() => resolveLimits({ maxConnections: 1.5 })).toThrow('maxConnections must be a whole number above 0');
    expect(() => parseLimitArg('idle-timeout', '10s')).toThrow('--idle-timeout "10s" is not a whole number of 0 or more');
    expect(parseLimitArg('idle-timeout', '0')).toBe(0);
  });

  it('checks timeouts a tenth as often as the shortest of them, at least every second', () => {
    expect(checkingInterval(resolveLimits())).toBe(1_000);
    expect(checkingInterval(resolveLimits({ headersTimeout: 500, requestTimeout: 1_500 }))).toBe(50);
  });
});
