// A webhook receiver on loopback for forwarding tests: takes Segment batches over real HTTP, fails
// every `failEvery`-th request with 503, and can be stopped and started again on the same port.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver answered. */
export interface ReceivedRequest {
  status: number;
  authorization: string | undefined;
  sentAt: string;
  /** The events of the batch, as sent. */
  batch: Array<{ messageId: string } & Record<string, unknown>>;
}

export interface WebhookReceiver {
  url: string;
  /** Every request answered, in order. */
  requests: ReceivedRequest[];
  /** The messageIds of taken (2xx) batches, in the order they arrived, duplicates included. */
  delivered(): string[];
  /** Stops listening (and cuts open connections): the destination is down. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  /** Resolves once `ids` all arrived in taken batches; rejects after `timeoutMs` naming how many are missing. */
  waitFor(ids: readonly string[], timeoutMs?: number): Promise<void>;
}

export async function startReceiver(options: { failEvery?: number } = {}): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  let seen = 0;
  let onRequest = () => {};
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen += 1;
      const fail = options.failEvery !== undefined && seen % options.failEvery === 0;
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { batch: ReceivedRequest['batch']; sentAt: string };
      const status = fail ? 503 : 200;
      requests.push({ status, authorization: req.headers.authorization, sentAt: body.sentAt, batch: body.batch });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(fail ? '{"error":"try again"}' : '{"success":true}');
      onRequest();
    });
  };
  let server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const delivered = () => requests.filter((r) => r.status === 200).flatMap((r) => r.batch.map((e) => e.messageId));
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    delivered,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    async start() {
      server = createServer(handler);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', resolve);
      });
    },
    waitFor(ids, timeoutMs = 60_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          const got = new Set(delivered());
          const missing = ids.filter((id) => !got.has(id));
          if (missing.length > 0) return false;
          clearTimeout(timer);
          onRequest = () => {};
          resolve();
          return true;
        };
        const timer = setTimeout(() => {
          const got = new Set(delivered());
          reject(new Error(`${ids.filter((id) => !got.has(id)).length} of ${ids.length} events never arrived`));
        }, timeoutMs);
        onRequest = () => void check();
        check();
      });
    },
  };
}

/** The first occurrence of each id, in order: what a receiver that deduplicates by messageId keeps. */
export const deduplicated = (ids: readonly string[]): string[] => [...new Set(ids)];
