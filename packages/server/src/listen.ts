import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyLimits, checkingInterval, resolveLimits, type ConnectionLimits } from './http/limits.js';
import { createServer, type BeckonServerOptions } from './server.js';

/** Options of `listen`: the server's options, where to listen, and the timeouts and connection limits. */
export interface ListenOptions extends BeckonServerOptions, ConnectionLimits {
  /** TCP port (default 8787; 0 picks a free one). */
  port?: number;
  /** Address to listen on (default 127.0.0.1, this machine only). */
  host?: string;
}

/** A listening Beckon server. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8787`. */
  url: string;
  port: number;
  /** Stops accepting connections, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
}

/** How long close() waits for in-flight requests before cutting their connections. */
const CLOSE_GRACE_MS = 10_000;

/**
 * Starts Beckon on its own HTTP server. Rejects with a sentence naming the problem when the
 * database, catalog or port cannot be used.
 */
export async function listen(options: ListenOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const limits = resolveLimits(options);
  const handler = createServer({ ...options, host });
  const server = createHttpServer({ connectionsCheckingInterval: checkingInterval(limits) }, handler);
  applyLimits(server, limits);
  try {
    // A database that cannot be reached stops start-up before the port is taken.
    await handler.ready;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 8787, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await handler.close();
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new Error(`port ${options.port} on ${host} is already in use: pick another with --port`, { cause: error });
    if (code === 'EACCES') throw new Error(`port ${options.port} on ${host} needs more privileges: pick one above 1023 with --port`, { cause: error });
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        // Idle keep-alive connections close now; busy ones once their response is sent.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        server.close(() => {
          clearInterval(sweep);
          clearTimeout(cut);
          void handler.close().then(resolve, resolve);
        });
        server.closeIdleConnections();
      })),
  };
}
