import type { IncomingMessage, ServerResponse } from 'node:http';
import { emptyLedger } from '@beckon/rules';
import type { MetricsGoal, MetricsVariant } from '@beckon/tracking';
import { createCatalogService, type CatalogService } from './catalog/service.js';
import { parseDestinations, type DestinationOption } from './forward/destination.js';
import { startForwarding, type Forwarder, type ForwardOptions } from './forward/forwarder.js';
import { DASHBOARD_CSP, renderDashboard } from './dashboard/page.js';
import { parseDecideRequest, visitLedgers, type DecideRequest, type Visit } from './decide.js';
import { DECIDE_TIMEOUT_MS, startEvaluator } from './decide/evaluator.js';
import { readJsonBody } from './http/body.js';
import { sendExport } from './http/export.js';
import { checkOrigin, corsHeaders, corsPolicy, preflightHeaders } from './http/cors.js';
import { HttpError } from './http/errors.js';
import { checkHost, hostPolicy } from './http/host-check.js';
import { requireReadKey, requireWriteKey } from './http/keys.js';
import { listedMetrics } from './http/message-ids.js';
import { PEOPLE_PATH, peopleRoute } from './http/people-routes.js';
import { sendReadiness } from './http/ready.js';
import { sendError, sendJson } from './http/respond.js';
import { collectorRoutes } from './http/segment-routes.js';
import { stderrLogger, type Logger } from './log.js';
import { daysIn, MAX_TREND_DAYS, parseDaily, parseRange } from './metrics/range.js';
import { createServerMetrics, rejectReason } from './observability/prometheus.js';
import { DEFAULT_RETAIN_ANONYMOUS_MS, refusalPeriod, startRetentionSweep, type RetentionSweep } from './retention.js';
import type { Storage } from './storage/contract.js';
import { DatabaseUnavailableError } from './storage/errors.js';
import { createStorage } from './storage/open.js';
import { VERSION } from './version.js';

/** Options of `createServer`. Only `db` and `catalog` are required. */
export interface BeckonServerOptions {
  /** A PostgreSQL URL (`postgres://user@host:5432/beckon`), or else the path of a SQLite file (created when missing). */
  db: string;
  /** Path of the message catalog (messages.json); re-read when it changes. */
  catalog: string;
  /** PostgreSQL: the most connections this process opens to the database (default 10). Ignored for SQLite. */
  dbPoolSize?: number;
  /**
   * When set, the collector (/v1/batch, /v1/track, …) and /v1/decide require it: header `x-beckon-write-key`,
   * the user name of HTTP Basic auth, query `writeKey`, or the collector body's `writeKey`.
   */
  writeKey?: string;
  /** When set, GET /v1/metrics and /dashboard require it (`x-beckon-read-key`, `Authorization: Bearer`, or Basic password). */
  readKey?: string;
  /**
   * When set, GET and DELETE /v1/people/{id} (access to and erasure of one person's data) require it: header
   * `x-beckon-admin-key` or `Authorization: Bearer`. Without it those endpoints answer 403.
   */
  adminKey?: string;
  /** Events of people who never identified are deleted once older than this, in ms (default 30 days); `false` keeps them. */
  retainAnonymous?: number | false;
  /** Every event is deleted once older than this, in ms (default: kept). */
  retainEvents?: number;
  /**
   * Store each event's whole `context` (page, user agent, locale, campaign, ...) rather than only the library
   * that sent it (default false). An IP address is never stored either way.
   */
  storeContext?: boolean;
  /** Browser origins allowed to call the API (`https://shop.example`, or `*` for any). */
  origins?: readonly string[];
  /** The address the server listens on: with no `origins`, any origin is allowed only when this is a loopback address. */
  host?: string;
  /**
   * Host names the server answers to besides loopback names and `host` (`collect.example.com`, `*.example.com`,
   * `*` for any); others get 421. Default: none more when `host` is loopback, any otherwise. Guards against DNS rebinding.
   */
  allowedHosts?: readonly string[];
  /** Where to report start-up, catalog reloads and failures (default: JSON lines on stderr). */
  log?: Logger;
  /** A decision taking longer than this (ms) is given up with 503 and its thread replaced (default 5000). */
  decideTimeout?: number;
  /** The clock, in epoch milliseconds (default `Date.now`). */
  now?: () => number;
  /** Follow changes to the catalog file (default true). */
  watchCatalog?: boolean;
  /**
   * Where every stored event is forwarded, in Segment batch format: URLs (`https://api.example/v1/batch#key`,
   * the fragment being the key sent as the Basic auth user name) or `{ url, key }`. Events wait in the
   * database's outbox until each destination took them.
   */
  forward?: readonly DestinationOption[];
  /** How forwarding batches and retries (defaults: 100 events a request, retries from 1 s to 5 min). */
  forwarding?: ForwardOptions;
}

/** A Node `http` request handler that serves Beckon, plus what a host server needs around it. */
export interface BeckonHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  /** Re-reads the catalog file now (it is also re-read when it changes). */
  reloadCatalog(): void;
  /**
   * Resolves once the database is reachable and its schema current; rejects with a sentence naming it
   * (without its password) when it is not. Requests wait for it.
   */
  readonly ready: Promise<void>;
  /** Stops following the catalog and closes the database; call it after the HTTP server has closed. */
  close(): Promise<void>;
}

type Method = 'GET' | 'POST' | 'DELETE';
type Route = (req: IncomingMessage, res: ServerResponse, url: URL, cors: Record<string, string>) => Promise<void> | void;

const NO_STORE = { 'cache-control': 'no-store' };
/** Browsers and CDNs may keep the catalog a minute, and use a stale one for an hour while revalidating. */
const CATALOG_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=3600';

/** True when `If-None-Match` lists `etag` (or is `*`); weak validators compare equal too. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((tag) => {
    const value = tag.trim();
    return value === '*' || value.replace(/^W\//, '') === etag;
  });
}

/** A request path as it may be logged: a person's id (/v1/people/{id}) never goes to the log. */
const loggedPath = (path: string): string => (path.startsWith(PEOPLE_PATH) ? `${PEOPLE_PATH}{id}` : path);

/** Seconds a client should wait before retrying while the database is unreachable. */
const RETRY_AFTER_S = 5;

/** 503: the database is down; nothing of the request was stored, and the client's retry will be. */
const databaseDown = (cors: Record<string, string>) =>
  new HttpError(503, `the database is unavailable right now: nothing of this request was stored; retry in ${RETRY_AFTER_S} s`, undefined, {
    ...cors,
    'retry-after': String(RETRY_AFTER_S),
  });

/** A visit of an erased visitor: decided on a fresh ledger, and nothing written. */
function unrecordedVisit(request: DecideRequest, at: number): Visit {
  return visitLedgers(request, { person: '', identified: request.userId !== undefined, ledger: emptyLedger() }, at).visit;
}

/** Each message's conversion goal from the catalog; messages without one use the default. */
function goalsOf(catalog: CatalogService): Record<string, MetricsGoal> {
  const goals: Record<string, MetricsGoal> = {};
  for (const message of catalog.current().compiled.messages) {
    if (message.goal) goals[message.id] = { event: message.goal.event, windowMs: message.goal.window };
  }
  return goals;
}

/** The catalog's variants by message id (their order and weights), for the per-variant metrics and the split check. */
function variantsOf(catalog: CatalogService): Record<string, MetricsVariant[]> {
  return Object.fromEntries(
    catalog.current().compiled.messages.flatMap((m) => (m.variants ? [[m.id, m.variants.map(({ id, weight }) => ({ id, weight }))] as const] : [])),
  );
}

/**
 * Creates the Beckon request handler: opens (or creates) the database, loads the catalog, and
 * answers the routes under /v1 and /dashboard. Throws a DatabaseFileError or CatalogFileError
 * naming the file when either cannot be used.
 */
export function createServer(options: BeckonServerOptions): BeckonHandler {
  const log = options.log ?? stderrLogger;
  const now = options.now ?? Date.now;
  const policy = corsPolicy(options.origins, options.host);
  const hosts = hostPolicy(options.allowedHosts, options.host);
  // A wrong destination is refused before anything is opened.
  const destinations = parseDestinations(options.forward ?? [], 'forward');
  const catalog = createCatalogService(options.catalog, log, now, { watch: options.watchCatalog });
  let storage: Storage;
  try {
    // A SQLite file that cannot be used is reported at once; a database server through `ready`.
    if (options.dbPoolSize !== undefined && !(Number.isInteger(options.dbPoolSize) && options.dbPoolSize >= 1)) {
      throw new Error(`dbPoolSize must be a whole number above 0 (got ${options.dbPoolSize})`);
    }
    storage = createStorage(options.db, { catalog: () => catalog.current(), log, destinations: destinations.map((d) => d.name), maxConnections: options.dbPoolSize });
  } catch (error) {
    catalog.close();
    throw error;
  }
  // Rejections are the caller's to see through `ready`; requests answer them on their own.
  const evaluator = startEvaluator(() => catalog.current(), options.decideTimeout ?? DECIDE_TIMEOUT_MS);
  storage.ready.catch(() => {});
  const observed = createServerMetrics(storage);
  const retention = {
    anonymousMs: options.retainAnonymous === false ? undefined : (options.retainAnonymous ?? DEFAULT_RETAIN_ANONYMOUS_MS),
    eventsMs: options.retainEvents,
  };
  let sweep: RetentionSweep | undefined;
  let closed = false;
  storage.ready.then(() => {
    if (closed || (retention.anonymousMs === undefined && retention.eventsMs === undefined)) return;
    sweep = startRetentionSweep(storage, retention, { now, log });
  }, () => {});
  /** True when the visitor of a decide was erased on request: their visit is then not recorded (no ledger comes back). */
  const isErased = async (request: DecideRequest, at: number): Promise<boolean> => {
    const visitor = { type: 'page' as const, messageId: 'decide', anonymousId: request.anonymousId, userId: request.userId, timestamp: new Date(at).toISOString() };
    return (await storage.erasedEvents([visitor], at)).size > 0;
  };
  const people = peopleRoute({ adminKey: options.adminKey, storage, now, refuseForMs: refusalPeriod(retention) });
  const outbox = storage.outbox;
  const forwarder: Forwarder | undefined = outbox ? startForwarding(outbox, destinations, log, { now, ...options.forwarding }) : undefined;
  /** Stores a batch, then lets forwarding know there is something new. */
  const store = async (events: Parameters<Storage['insertBatch']>[0], receivedMs: number) => {
    const result = await storage.insertBatch(events, receivedMs);
    if (result.accepted > 0) forwarder?.wake();
    return result;
  };

  const routes: Record<string, Partial<Record<Method, Route>>> = {
    '/v1/health': {
      GET: async (_req, res, _url, cors) => {
        const database = await storage.ping();
        // The backlog is read from the database: while it is down, forwarding is reported as unknown.
        const status = forwarder && database.ok ? await forwarder.status().catch(() => undefined) : undefined;
        const forwarding = status ? { forwarding: status } : {};
        const body = { status: database.ok ? 'ok' : 'degraded', version: VERSION, catalog: catalog.status(), database, ...forwarding };
        sendJson(res, 200, body, { ...NO_STORE, ...cors });
      },
    },
    '/v1/ready': {
      GET: (_req, res, _url, cors) => sendReadiness(res, () => storage.ping(), cors),
    },
    '/metrics': {
      GET: async (req, res) => {
        requireReadKey(req, options.readKey);
        const { contentType, body } = await observed.scrape();
        res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...NO_STORE });
        res.end(body);
      },
    },
    '/v1/catalog': {
      GET: (req, res, _url, cors) => {
        const served = catalog.current();
        const headers = { ...cors, etag: served.etag, 'cache-control': CATALOG_CACHE_CONTROL, vary: 'origin, accept-encoding' };
        if (matchesEtag(req.headers['if-none-match'], served.etag)) {
          res.writeHead(304, headers);
          res.end();
          return;
        }
        const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
        const body = gzip ? served.gzip : served.json;
        res.writeHead(200, {
          ...headers,
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
          'x-content-type-options': 'nosniff',
          ...(gzip ? { 'content-encoding': 'gzip' } : {}),
        });
        res.end(body);
      },
    },
    // /v1/batch and the Segment tracking API's other endpoints.
    ...observed.collectorRoutes(
      collectorRoutes({
        writeKey: options.writeKey,
        now,
        store: observed.observeStore(store),
        refused: (count) => observed.eventsRejected('invalid', count),
        // Checked before storing: a database that fails here refuses the batch's valid events, counted as storing would.
        erased: async (events, receivedMs) => {
          try {
            return await storage.erasedEvents(events, receivedMs);
          } catch (error) {
            observed.eventsRejected(rejectReason(error), events.length);
            throw error;
          }
        },
        refusedErased: (count) => observed.eventsRejected('erased', count),
        storeContext: options.storeContext === true,
      }),
    ),
    '/v1/decide': {
      POST: observed.decideRoute(async (req, res, url, cors) => {
        requireWriteKey(req, url, options.writeKey);
        const request = parseDecideRequest(await readJsonBody(req));
        const at = now();
        // The database records the visit; the catalog is evaluated on the decide thread, apart from both.
        const visit = (await isErased(request, at)) ? unrecordedVisit(request, at) : await storage.recordVisit(request, at);
        sendJson(res, 200, await evaluator.evaluate(request, visit, at), { ...NO_STORE, ...cors });
      }),
    },
    '/v1/metrics': {
      GET: async (req, res, url, cors) => {
        requireReadKey(req, options.readKey);
        const range = parseRange(url.searchParams, now());
        const daily = parseDaily(url.searchParams, range);
        const messages = listedMetrics(await storage.metrics(range, goalsOf(catalog), { variants: variantsOf(catalog), daily }));
        sendJson(res, 200, { from: range.from, to: range.to, messages }, { ...NO_STORE, ...cors });
      },
    },
    '/v1/export': {
      GET: (req, res, url, cors) => sendExport(req, res, url, cors, { storage, readKey: options.readKey, now, log }),
    },
    '/dashboard': {
      GET: async (req, res, url) => {
        requireReadKey(req, options.readKey, true);
        const range = parseRange(url.searchParams, now());
        const titles = new Map(catalog.current().compiled.messages.flatMap((m) => (m.content.title ? [[m.id, m.content.title] as const] : [])));
        // Trends for any range a person would chart; a longer one shows its totals only.
        const metrics = await storage.metrics(range, goalsOf(catalog), { variants: variantsOf(catalog), daily: daysIn(range) <= MAX_TREND_DAYS });
        const page = renderDashboard({ metrics: listedMetrics(metrics), ...range, titles });
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-length': Buffer.byteLength(page),
          'content-security-policy': DASHBOARD_CSP,
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
          ...NO_STORE,
        });
        res.end(page);
      },
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://beckon.invalid');
    const origin = checkOrigin(policy, req, checkHost(hosts, req));
    if (origin && !origin.allowed) {
      throw new HttpError(403, `origin ${origin.origin} is not allowed: add it with --origin (the origins option)`);
    }
    const cors = origin ? corsHeaders(origin.origin) : {};
    const route: Partial<Record<Method, Route>> | undefined = url.pathname.startsWith(PEOPLE_PATH) ? people : routes[url.pathname];
    if (route === undefined) {
      throw new HttpError(404, `no route ${url.pathname}: Beckon serves ${[...Object.keys(routes), `${PEOPLE_PATH}{id}`].join(', ')}`, undefined, cors);
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
      throw new HttpError(405, `${req.method} is not allowed on ${url.pathname}: use ${allow}`, undefined, { allow, ...cors });
    }
    try {
      await run(req, res, url, cors);
    } catch (error) {
      if (error instanceof DatabaseUnavailableError) {
        log({ level: 'warn', message: `${req.method} ${loggedPath(url.pathname)} answered 503: ${error.message}` });
        throw databaseDown(cors);
      }
      // Errors carry the CORS headers too, so a browser can read why it failed.
      if (error instanceof HttpError) throw new HttpError(error.status, error.message, error.issues, { ...cors, ...error.headers }, error.details);
      throw error;
    }
  }

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((error: unknown) => {
      if (!(error instanceof HttpError)) {
        const path = loggedPath(req.url ?? '/');
        log({ level: 'error', message: `${req.method} ${path} failed`, error, fields: { method: req.method, url: path } });
      }
      sendError(res, error);
    });
  };
  return Object.assign(handler, {
    reloadCatalog: () => catalog.reload(),
    ready: storage.ready,
    async close(): Promise<void> {
      closed = true;
      await sweep?.stop();
      catalog.close();
      evaluator.close();
      await forwarder?.close();
      await storage.close();
    },
  });
}
