// The forwarder against an outbox in memory and a receiver on loopback: order, the 413 rule, the
// injected randomness, and a close that leaves what was not taken in the outbox.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Outbox, OutboxEntry } from '../storage/outbox.js';
import { parseDestination } from './destination.js';
import { startForwarding, type Forwarder } from './forwarder.js';

/** An outbox in memory with one destination: entries until done, a count of claims. */
function memoryOutbox(name: string, count: number) {
  const entries: OutboxEntry[] = Array.from({ length: count }, (_, i) => ({
    id: i + 1, eventId: `e${i + 1}`, receivedMs: 0, body: JSON.stringify({ type: 'track', messageId: `e${i + 1}`, event: 'X' }),
  }));
  const outbox: Outbox = {
    destinations: [name],
    async claim() {
      return {
        next: async (limit) => entries.slice(0, limit),
        async done(ids) {
          for (const id of ids) entries.splice(entries.findIndex((e) => e.id === id), 1);
        },
        release: async () => {},
        report: async () => {},
      };
    },
    backlog: async () => [{ destination: name, pending: entries.length, oldestPendingSeconds: 0 }],
  };
  return { outbox, entries };
}

const servers: Server[] = [];
const forwarders: Forwarder[] = [];
afterEach(async () => {
  await Promise.all(forwarders.splice(0).map((f) => f.close()));
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

async function receiver(answer: (batch: Array<{ messageId: string }>, res: ServerResponse, req: IncomingMessage) => void) {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => answer((JSON.parse(Buffer.concat(chunks).toString()) as { batch: Array<{ messageId: string }> }).batch, res, req));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/in`;
}

describe('startForwarding', () => {
  it('sends smaller batches after a 413, in order, and takes its retry delays from the randomness it is given', async () => {
    const sizes: number[] = [];
    const delivered: string[] = [];
    const url = await receiver((batch, res) => {
      sizes.push(batch.length);
      if (batch.length > 3) return void res.writeHead(413).end('too large');
      delivered.push(...batch.map((e) => e.messageId));
      res.end('{}');
    });
    const destination = parseDestination(url);
    const { outbox, entries } = memoryOutbox(destination.name, 20);
    const randoms: number[] = [];
    const forwarder = startForwarding(outbox, [destination], () => {}, {
      batchSize: 10, minRetryMs: 5, maxRetryMs: 20, pollMs: 10,
      random: () => (randoms.push(0.5), 0.5),
    });
    forwarders.push(forwarder);
    while (entries.length > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(delivered).toEqual(Array.from({ length: 20 }, (_, i) => `e${i + 1}`));
    // 10 refused, then 5 refused, then 3 at a time from the same place.
    expect(sizes.slice(0, 3)).toEqual([10, 5, 3]);
    expect(randoms.length).toBeGreaterThanOrEqual(2);
    const [status] = await forwarder.status();
    expect(status).toMatchObject({ destination: destination.name, pending: 0, forwarding: true, delivered: 20 });
  });

  it('on close, abandons the request in flight and leaves its events in the outbox', async () => {
    let arrived!: () => void;
    const hanging = new Promise<void>((resolve) => (arrived = resolve));
    const url = await receiver(() => arrived()); // never answers
    const destination = parseDestination(url);
    const { outbox, entries } = memoryOutbox(destination.name, 5);
    const forwarder = startForwarding(outbox, [destination], () => {}, { pollMs: 10 });
    await hanging;
    await forwarder.close();
    expect(entries.map((e) => e.eventId)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
  });
});
