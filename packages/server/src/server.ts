import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseBatch } from '@beckon/tracking/schema';
import { openDatabase } from './db/database.js';
import { createEventStore } from './db/events.js';
import { readJsonBody } from './http/body.js';
import { checkOrigin, corsHeaders, corsPolicy, preflightHeaders } from './http/cors.js';
import { HttpError } from './http/errors.js';
import { requireWriteKey } from './http/keys.js';
import { sendError, sendJson } from './http/respond.js';
import { stderrLogger, type Logger } from './log.js';
import { VERSION } from './version.js';

/** Options of `createServer`. Only `db` and `catalog` are required. */
export interface BeckonServerOptions {
  /** Path of the SQLite database file; created when missing. */
  db: string;
  /** Path of the message catalog (messages.json); re-read when it changes. */
  catalog: string;
  /** When set, POST /v1/batch and /v1/decide require it (header `x-beckon-write-key` or query `writeKey`). */
  writeKey?: string;
  /** When set, GET /v1/metrics and /dashboard require it (`x-beckon-read-key`, `Authorization: Bearer`, or Basic password). */
  readKey?: string;
  /** Browser origins allowed to call the API (`https://shop.example`, or `*` for any). */
  origins?: readonly string[];
  /** The address the server listens on: with no `origins`, any origin is allowed only when this is a loopback address. */
  host?: string;
  /** Where to report start-up, catalog reloads and failures (default: stderr). */
  log?: Logger;
  /** The clock, in epoch milliseconds (default `Date.now`). */
  now?: () => number;
}

/** A Node `http` request handler that serves Beckon, plus `close()` to release the database. */
export interface BeckonHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  /** Stops watching the catalog and closes the database; call it after the HTTP server has closed. */
  close(): void;
}

type Method = 'GET' | 'POST';
type Route = (req: IncomingMessage, res: ServerResponse, url: URL, cors: Record<string, string>) => Promise<void> | void;

/**
 * Creates the Beckon request handler: opens (or creates) the database, loads the catalog, and
 * answers the routes under /v1 and /dashboard. Throws a DatabaseFileError or CatalogFileError
 * naming the file when either cannot be used.
 */
export function createServer(options: BeckonServerOptions): BeckonHandler {
  const log = options.log ?? stderrLogger;
  const now = options.now ?? Date.now;
  const cors = corsPolicy(options.origins, options.host);
  const db = openDatabase(options.db);
  const events = createEventStore(db);

  const routes: Record<string, Partial<Record<Method, Route>>> = {
    '/v1/health': {
      GET: (_req, res, _url, headers) => {
        sendJson(res, 200, { status: 'ok', version: VERSION }, { 'cache-control': 'no-store', ...headers });
      },
    },
    '/v1/batch': {
      POST: async (req, res, url, headers) => {
        requireWriteKey(req, url, options.writeKey);
        const body = await readJsonBody(req);
        const parsed = parseBatch(body);
        if (!parsed.ok) throw new HttpError(400, 'batch does not match the event schema', parsed.errors);
        const result = events.insertBatch(parsed.batch, now());
        sendJson(res, 200, result, headers);
      },
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://beckon.invalid');
    const origin = checkOrigin(cors, req);
    if (origin && !origin.allowed) {
      throw new HttpError(403, `origin ${origin.origin} is not allowed: add it with --origin (origins option)`);
    }
    const headers = origin ? corsHeaders(origin.origin) : {};
    const route = routes[url.pathname];
    if (route === undefined) {
      throw new HttpError(404, `no route ${url.pathname}: Beckon serves ${Object.keys(routes).join(', ')}`, undefined, headers);
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, origin ? preflightHeaders(origin.origin) : {});
      res.end();
      return;
    }
    const method = req.method === 'HEAD' ? 'GET' : (req.method as Method);
    const run = route[method];
    if (run === undefined) {
      const allow = Object.keys(route).join(', ');
      throw new HttpError(405, `${req.method} is not allowed on ${url.pathname}: use ${allow}`, undefined, { allow, ...headers });
    }
    try {
      await run(req, res, url, headers);
    } catch (error) {
      if (error instanceof HttpError) throw new HttpError(error.status, error.message, error.issues, { ...headers, ...error.headers });
      throw error;
    }
  }

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((error: unknown) => {
      if (!(error instanceof HttpError)) log({ level: 'error', message: `${req.method} ${req.url} failed`, error });
      sendError(res, error);
    });
  };
  return Object.assign(handler, {
    close(): void {
      if (db.open) db.close();
    },
  });
}
