// Where events go: a small plugin interface, a callback destination and the HTTP collector destination.
import { createDeliveryQueue, type DeliveryQueueOptions, type DeliveryStats, type Send } from './queue.js';
import { safely } from './storage.js';
import type { BeckonEvent } from './types.js';

/** Something that receives every accepted event, like a destination plugin of analytics tools. */
export interface Destination {
  /** Names the destination in warnings. */
  name: string;
  /**
   * Receives one accepted event (and its JSON, to spare re-serialising). May return a promise; a throw
   * or rejection is caught, counted and warned about once, and never reaches other destinations.
   */
  track(event: BeckonEvent, json: string): void | Promise<unknown>;
  /** Sends whatever the destination holds back. */
  flush?(): void | Promise<void>;
  /** Stops timers and listeners. */
  close?(): void;
}

/** A destination that hands each event to a function, e.g. an analytics tool already on the page. */
export function callbackDestination(name: string, callback: (event: BeckonEvent) => void | Promise<unknown>): Destination {
  return { name, track: (event) => callback(event) };
}

/** Options of `httpDestination`: the collector's address plus the delivery queue's options. */
export interface HttpDestinationOptions extends Omit<DeliveryQueueOptions, 'send'> {
  /** The collector: a base URL (`https://collect.example.com`, `/` for this site) or the full URL ending in `/v1/batch`; no query string. */
  url: string;
  /** Sent as the `x-beckon-write-key` header, and as the `writeKey` query parameter with `sendBeacon`. */
  writeKey?: string;
  /** Destination name ('beckon'). */
  name?: string;
  /** `fetch` (the global one when absent). */
  fetch?: typeof fetch;
  /** `navigator.sendBeacon` (the global one when absent); used while unloading where keepalive fetch fails. */
  sendBeacon?: (url: string, data: string) => boolean;
}

/** `https://c.example.com` → `https://c.example.com/v1/batch`; a URL already ending in `/v1/batch` is kept. */
export const batchUrl = (endpoint: string): string => endpoint.replace(/\/*(v1\/batch)?$/, '/v1/batch');

/** An HTTP destination, which also reports its delivery counters. */
export interface HttpDestination extends Destination {
  stats(): DeliveryStats;
}

/** POSTs batches of events as `{ batch: [...] }` JSON to the Beckon collector, through a delivery queue. */
export function httpDestination(options: HttpDestinationOptions): HttpDestination {
  if (typeof options.url !== 'string') throw new TypeError('beckon: endpoint must be a URL string');
  const url = batchUrl(options.url);
  const { writeKey, name = 'beckon' } = options;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  // sendBeacon cannot set headers: there the write key goes in the query.
  let beaconUrl = url;
  if (writeKey) {
    headers['x-beckon-write-key'] = writeKey;
    beaconUrl += `?writeKey=${encodeURIComponent(writeKey)}`;
  }

  const send: Send = async (body, { keepalive }) => {
    try {
      // The global fetch is looked up now, so a page's (or a test's) replacement applies.
      const response = await (options.fetch ?? fetch)(url, { method: 'POST', headers, body, keepalive });
      // A 2xx may list events refused one by one: `{ refused: [{ index, reason }] }`.
      const refused: unknown = response.ok && (await response.json().catch(() => 0))?.refused;
      return { status: response.status, retryAfter: response.headers.get('retry-after'), refused: Array.isArray(refused) ? refused : undefined };
    } catch (error) {
      // The outcome of a beacon is unknown, so its events stay queued; the collector drops the repeat.
      if (keepalive) safely(() => (options.sendBeacon ? options.sendBeacon(beaconUrl, body) : navigator.sendBeacon(beaconUrl, body)));
      throw error;
    }
  };

  const queue = createDeliveryQueue({ ...options, send });
  // The queue's flush, stats and close are the destination's own.
  return { ...queue, name, track: (event, json) => queue.push(event.messageId, json) };
}
