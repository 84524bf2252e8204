import type { ServerResponse } from 'node:http';
import { HttpError } from './errors.js';

/** Sends a JSON body with the given status and extra headers. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

/** Answers an HttpError as JSON; anything else as a 500 without internals. */
export function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof HttpError) {
    const body = { error: error.message, ...(error.issues ? { issues: error.issues } : {}), ...error.details };
    sendJson(res, error.status, body, { ...error.headers });
    return;
  }
  sendJson(res, 500, { error: 'internal error: the server could not complete the request; it was logged' });
}
