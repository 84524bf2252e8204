// Timeouts and connection limits of the HTTP server: what a collector needs so that slow or stalled
// clients cannot hold every socket (and file descriptor) and starve the others.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** Timeouts and connection limits of `listen` (and `beckon serve`); every time is in milliseconds. */
export interface ConnectionLimits {
  /** Longest wait for a request's headers once a connection is open (10 000); Node's default is 60 s. */
  headersTimeout?: number;
  /** Longest a request may take to arrive, headers and body (30 000): a batch is at most 512 kB. */
  requestTimeout?: number;
  /** A connection with no bytes moving either way for this long is closed (15 000); 0 turns it off. */
  idleTimeout?: number;
  /** How long a kept-alive connection waits for its next request (5 000). */
  keepAliveTimeout?: number;
  /** Most open connections (800): kept below the usual limit of 1,024 open files; beyond it new ones are closed. */
  maxConnections?: number;
  /** Most open connections from one client address (100); 0 turns it off (e.g. behind a reverse proxy). */
  maxConnectionsPerClient?: number;
}

/** The limits used when none is given. */
export const DEFAULT_LIMITS: Readonly<Required<ConnectionLimits>> = {
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  idleTimeout: 15_000,
  keepAliveTimeout: 5_000,
  maxConnections: 800,
  maxConnectionsPerClient: 100,
};

const NON_NEGATIVE_INTEGER = /^\d+$/;

/**
 * The limits with defaults filled in. Throws a TypeError naming an option that is not a whole number
 * of at least 0 (or, for the timeouts of headers and requests, at least 1).
 */
export function resolveLimits(given: ConnectionLimits = {}): Required<ConnectionLimits> {
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as Array<keyof ConnectionLimits>) {
    const value = given[key];
    if (value === undefined) continue;
    const positive = key === 'headersTimeout' || key === 'requestTimeout' || key === 'maxConnections';
    if (!Number.isSafeInteger(value) || value < (positive ? 1 : 0)) {
      throw new TypeError(`${key} must be a whole number ${positive ? 'above 0' : 'of 0 or more'}, not ${String(value)}`);
    }
    limits[key] = value;
  }
  // Node refuses a headers timeout longer than the request timeout.
  limits.headersTimeout = Math.min(limits.headersTimeout, limits.requestTimeout);
  return limits;
}

/** Reads a whole number of milliseconds (or connections) given on the command line; undefined when absent. */
export function parseLimitArg(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!NON_NEGATIVE_INTEGER.test(value)) throw new TypeError(`--${option} "${value}" is not a whole number of 0 or more`);
  return Number(value);
}

/** The address a connection came from, as the per-client limit counts it. */
const clientOf = (socket: Socket): string => socket.remoteAddress ?? 'unknown';

/**
 * Applies `limits` to a Node HTTP server that has not started listening. Connections beyond
 * `maxConnectionsPerClient` from one address are closed at once, so one client cannot use up the
 * server's connections (and file descriptors) and lock the others out.
 */
export function applyLimits(server: Server, limits: Required<ConnectionLimits>): void {
  server.headersTimeout = limits.headersTimeout;
  server.requestTimeout = limits.requestTimeout;
  server.keepAliveTimeout = limits.keepAliveTimeout;
  // A socket idle this long is destroyed (Node closes it when no 'timeout' listener takes over).
  server.timeout = limits.idleTimeout;
  server.maxConnections = limits.maxConnections;
  if (limits.maxConnectionsPerClient === 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const client = clientOf(socket);
    const count = (open.get(client) ?? 0) + 1;
    if (count > limits.maxConnectionsPerClient) {
      socket.destroy();
      return;
    }
    open.set(client, count);
    socket.once('close', () => {
      const left = (open.get(client) ?? 1) - 1;
      if (left === 0) open.delete(client);
      else open.set(client, left);
    });
  });
}

/**
 * Node checks the headers and request timeouts of open connections this often (its default, 30 s,
 * lets a stalled request live up to 30 s past its timeout); a tenth of the shortest, 1 s at most.
 */
export const checkingInterval = (limits: Required<ConnectionLimits>): number =>
  Math.max(10, Math.min(1_000, Math.floor(Math.min(limits.headersTimeout, limits.requestTimeout) / 10)));
