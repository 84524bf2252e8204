// Request bodies sent compressed (`Content-Encoding: gzip` or `deflate`, as Segment-protocol libraries
// send them), read through a streaming decompressor so the size limit applies to what they inflate to.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import { HttpError } from './errors.js';

/** The decoders by `Content-Encoding` token; `identity` (or no header) reads the body as sent. */
const DECODERS: Readonly<Record<string, () => NodeJS.ReadWriteStream>> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
};

/**
 * The body of `req` as a stream of its decoded bytes. Throws 415 for an encoding other than gzip,
 * deflate or identity. The decoder inflates as the reader pulls, so a reader that stops at its
 * limit stops the inflating too: a small body that would inflate to gigabytes costs one chunk.
 */
export function decodedBody(req: IncomingMessage): Readable {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return req;
  const decoder = DECODERS[encoding];
  if (!decoder) {
    throw new HttpError(415, `content-encoding "${encoding}" is not supported: send the body as is, or with gzip or deflate`);
  }
  const stream = decoder();
  // A corrupt body is the client's fault: answered as 400 by the reader, which sees the error event.
  req.pipe(stream);
  return stream as unknown as Readable;
}

/** The error a reader answers for a body its decoder could not inflate. */
export function corruptBody(encoding: string | undefined, error: Error): HttpError {
  return new HttpError(400, `request body is not valid ${encoding ?? 'compressed'} data: ${error.message}`);
}
