import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors.js';

// Hashing both sides first gives equal lengths, so the comparison time says nothing about the key.
function sameKey(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The user name and password of `Authorization: Basic`, or undefined without one. */
function basicCredentials(req: IncomingMessage): { user: string; password: string } | undefined {
  const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (!basic) return undefined;
  const decoded = Buffer.from(basic[1]!.trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  // Without a colon the one value is taken for either: a user name (write key) or a password (read key).
  return colon === -1 ? { user: decoded, password: decoded } : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** True when the request carries a write key in a header or the URL (rather than only in its body). */
export function hasWriteKeyOutsideBody(req: IncomingMessage, url: URL): boolean {
  return req.headers['x-beckon-write-key'] !== undefined || basicCredentials(req) !== undefined || url.searchParams.has('writeKey');
}

/**
 * Checks the write key: the `x-beckon-write-key` header, the user name of `Authorization: Basic`
 * (as Segment-protocol libraries send it), the `writeKey` query parameter (navigator.sendBeacon
 * cannot set headers), or `bodyKey`, the body's own `writeKey` (as analytics.js sends it). No key
 * configured means every caller may write.
 */
export function requireWriteKey(req: IncomingMessage, url: URL, expected: string | undefined, bodyKey?: unknown): void {
  if (expected === undefined) return;
  const header = req.headers['x-beckon-write-key'];
  const given =
    (typeof header === 'string' ? header : undefined) ??
    basicCredentials(req)?.user ??
    url.searchParams.get('writeKey') ??
    (typeof bodyKey === 'string' ? bodyKey : undefined);
  if (given === undefined) {
    throw new HttpError(
      401,
      'write key missing: send it in the x-beckon-write-key header, as the user name of HTTP Basic auth, or as the writeKey query parameter',
    );
  }
  if (!sameKey(given, expected)) throw new HttpError(401, 'write key is wrong');
}

/** Reads a read key from `x-beckon-read-key`, `Authorization: Bearer K` or `Authorization: Basic` (the password). */
function givenReadKey(req: IncomingMessage): string | undefined {
  const header = req.headers['x-beckon-read-key'];
  if (typeof header === 'string') return header;
  const auth = req.headers.authorization ?? '';
  const bearer = /^Bearer\s+(.+)$/i.exec(auth);
  if (bearer) return bearer[1]!.trim();
  return basicCredentials(req)?.password;
}

/**
 * Checks the read key for metrics and the dashboard. `browserPrompt` adds a Basic challenge so a
 * browser asks for it (any user name, the key as the password).
 */
export function requireReadKey(req: IncomingMessage, expected: string | undefined, browserPrompt = false): void {
  if (expected === undefined) return;
  const headers: Record<string, string> = browserPrompt ? { 'www-authenticate': 'Basic realm="Beckon", charset="UTF-8"' } : {};
  const given = givenReadKey(req);
  if (given === undefined) {
    throw new HttpError(401, 'read key missing: send it in the x-beckon-read-key header or as Authorization: Bearer <key>', undefined, headers);
  }
  if (!sameKey(given, expected)) throw new HttpError(401, 'read key is wrong', undefined, headers);
}

/**
 * Checks the admin key of the people endpoints (erasure and access): `x-beckon-admin-key` or
 * `Authorization: Bearer <key>`. Without an admin key configured they are off: 403 saying how to turn them on.
 */
export function requireAdminKey(req: IncomingMessage, expected: string | undefined): void {
  if (expected === undefined) {
    throw new HttpError(403, 'the people endpoints are off: start the server with an admin key (--admin-key or BECKON_ADMIN_KEY) to use them');
  }
  const header = req.headers['x-beckon-admin-key'];
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  const given = typeof header === 'string' ? header : bearer?.[1]?.trim();
  if (given === undefined) throw new HttpError(401, 'admin key missing: send it in the x-beckon-admin-key header or as Authorization: Bearer <key>');
  if (!sameKey(given, expected)) throw new HttpError(401, 'admin key is wrong');
}
