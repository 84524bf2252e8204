import type { IncomingMessage } from 'node:http';
import { ClientGoneError, HttpError } from './errors.js';
import { corruptBody, decodedBody } from './inflate.js';

/** The largest request body the server reads: 512 kB. */
export const MAX_BODY_BYTES = 512 * 1024;

function tooLarge(limit: number): HttpError {
  return new HttpError(413, `request body is larger than ${limit / 1024} kB: send fewer events per batch`, undefined, {
    connection: 'close',
  });
}

/**
 * Reads a JSON request body of at most `limit` bytes (once decompressed, for a gzip or deflate body)
 * and parses it. Stops reading as soon as the body is known to be too large (from Content-Length, or
 * while streaming) and throws 413; throws 400 for malformed JSON or a corrupt compressed body. The
 * body is read as JSON whatever its Content-Type, as Segment's API does: sendBeacon sends text/plain,
 * and some libraries send application/x-www-form-urlencoded.
 */
export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
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
  const body = decodedBody(req);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Leave the rest unread (and uninflated): the response closes the connection.
        body.off('data', onData);
        if (body !== req) {
          req.unpipe();
          body.destroy();
        }
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    body.on('data', onData);
    body.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    if (body !== req) body.once('error', (error) => reject(corruptBody(req.headers['content-encoding'], error)));
    // 'aborted' (ECONNRESET): the client hung up or a timeout cut it off; not a server failure.
    req.once('error', (error) => reject(new ClientGoneError(error)));
  });
}
