// One POST of events to a destination, in the Segment batch format that Segment's and RudderStack's
// HTTP sources (and any webhook) take: {"batch": [...], "sentAt": "..."}, each event with its messageId.
import { VERSION } from '../version.js';
import type { OutboxEntry } from '../storage/outbox.js';
import type { Destination } from './destination.js';

/** A destination that did not take a batch: its HTTP status when it answered, and a sentence. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** The request body: the stored events as they are (no parsing), and when they were sent. */
export function segmentBatch(entries: readonly OutboxEntry[], sentAt: number): string {
  return `{"batch":[${entries.map((e) => e.body).join(',')}],"sentAt":"${new Date(sentAt).toISOString()}"}`;
}

/** Posts `body` to the destination; resolves on a 2xx answer, rejects with a DeliveryError otherwise. */
export async function sendBatch(destination: Destination, body: string, signal: AbortSignal): Promise<void> {
  let response: Response;
  try {
    response = await fetch(destination.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': `beckon/${VERSION}`,
        ...(destination.authorization ? { authorization: destination.authorization } : {}),
      },
      body,
      signal,
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const detail = (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError'
      ? (error as Error).message
      : cause?.code ?? cause?.message ?? (error as Error).message;
    throw new DeliveryError(`${destination.name} could not be reached: ${detail}`);
  }
  // The answer's body is read (and dropped) so the connection can be reused.
  const text = await response.text().catch(() => '');
  if (response.status >= 200 && response.status < 300) return;
  const said = text.trim().slice(0, 200);
  throw new DeliveryError(`${destination.name} answered ${response.status}${said ? `: ${said}` : ''}`, response.status);
}
