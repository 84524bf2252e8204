import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors.js';

// Hashing both sides first gives equal lengths, so the comparison time says nothing about the key.
function sameKey(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Checks the write key: the `x-beckon-write-key` header, or the `writeKey` query parameter
 * (navigator.sendBeacon cannot set headers). No key configured means every caller may write.
 */
export function requireWriteKey(req: IncomingMessage, url: URL, expected: string | undefined): void {
  if (expected === undefined) return;
  const header = req.headers['x-beckon-write-key'];
  const given = (typeof header === 'string' ? header : undefined) ?? url.searchParams.get('writeKey') ?? undefined;
  if (given === undefined) {
    throw new HttpError(401, 'write key missing: send it in the x-beckon-write-key header or the writeKey query parameter');
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
  const basic = /^Basic\s+(.+)$/i.exec(auth);
  if (basic) {
    const decoded = Buffer.from(basic[1]!.trim(), 'base64').toString('utf8');
    return decoded.slice(decoded.indexOf(':') + 1);
  }
  return undefined;
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
