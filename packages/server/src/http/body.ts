import type { IncomingMessage } from 'node:http';
import { ClientGoneError, HttpError } from './errors.js';

/** The largest request body the server reads: 512 kB. */
export const MAX_BODY_BYTES = 512 * 1024;

// sendBeacon with a string sends text/plain; fetch sends application/json. Both carry JSON.
const JSON_TYPES = new Set(['application/json', 'text/plain']);

function tooLarge(limit: number): HttpError {
  return new HttpError(413, `request body is larger than ${limit / 1024} kB: send fewer events per batch`, undefined, {
    connection: 'close',
  });
}

/**
 * Reads a JSON request body of at most `limit` bytes and parses it. Stops reading as soon as the
 * body is known to be too large (from Content-Length, or while streaming) and throws 413; throws
 * 415 for a content type other than JSON or text/plain and 400 for malformed JSON.
 */
export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const type = (req.headers['content-type'] ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  if (!JSON_TYPES.has(type)) {
    throw new HttpError(415, `content-type "${type}" is not supported: send application/json (or text/plain holding JSON)`);
  }
  const declared = Number(req.headers['content-length']);
  if (declared > limit) throw tooLarge(limit);
  const text = await readText(req, limit);
  if (text.trim() === '') throw new HttpError(400, 'request body is empty: send a JSON object');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(400, `malformed JSON: ${(error as Error).message}`);
  }
}

function readText(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Leave the rest unread: the response closes the connection.
        req.off('data', onData);
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    // 'aborted' (ECONNRESET): the client hung up or a timeout cut it off; not a server failure.
    req.once('error', (error) => reject(new ClientGoneError(error)));
  });
}
