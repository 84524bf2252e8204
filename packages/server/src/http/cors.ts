import type { IncomingMessage } from 'node:http';

/** Who may call the API from a browser on another origin. */
export interface CorsPolicy {
  /** Allowed origins, normalised (`https://shop.example`). */
  readonly origins: ReadonlySet<string>;
  /** Every origin is allowed (`*` was configured, or none was and the server listens on loopback only). */
  readonly anyOrigin: boolean;
}

// x-retry-count: analytics.js (Segment's browser library) sends it when it retries.
const ALLOWED_HEADERS = 'content-type, x-beckon-write-key, x-beckon-read-key, authorization, if-none-match, x-retry-count';

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(?:\.\d{1,3}){3}$/.test(bare) || bare === '::ffff:127.0.0.1';
}

/**
 * Builds the CORS policy: the configured origins, or any origin when none is configured and the
 * server listens on a loopback address only. Throws a TypeError naming an origin that is not one.
 */
export function corsPolicy(origins: readonly string[] | undefined, host: string | undefined): CorsPolicy {
  const list = origins ?? [];
  if (list.includes('*')) return { origins: new Set(), anyOrigin: true };
  const normalised = new Set(list.map(normaliseOrigin));
  return { origins: normalised, anyOrigin: normalised.size === 0 && host !== undefined && isLoopback(host) };
}

function normaliseOrigin(origin: string): string {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new TypeError(`origin "${origin}" is not an origin: write it like https://shop.example`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`origin "${origin}" must start with http:// or https://`);
  }
  return url.origin;
}

/**
 * Decides a request's Origin header: `undefined` when there is none (not a cross-origin browser
 * call), otherwise whether it is allowed. The page's own origin (same host) is allowed when the Host is
 * one the server knows as its own (`trustedHost`, see host-check.ts): never a name a page rebound.
 */
export function checkOrigin(policy: CorsPolicy, req: IncomingMessage, trustedHost = true): { origin: string; allowed: boolean } | undefined {
  const origin = req.headers.origin;
  if (origin === undefined) return undefined;
  if (policy.anyOrigin || policy.origins.has(origin)) return { origin, allowed: true };
  const host = hostOf(origin);
  return { origin, allowed: trustedHost && host !== undefined && host === req.headers.host };
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/** The headers that let an allowed origin read a response. */
export function corsHeaders(origin: string): Record<string, string> {
  return { 'access-control-allow-origin': origin, 'access-control-expose-headers': 'etag', vary: 'origin' };
}

/** The headers of a successful preflight answer. */
export function preflightHeaders(origin: string): Record<string, string> {
  return {
    ...corsHeaders(origin),
    'access-control-allow-methods': 'GET, HEAD, POST, OPTIONS',
    'access-control-allow-headers': ALLOWED_HEADERS,
    'access-control-max-age': '86400',
  };
}
