// Small hand-written checks for events: the browser tracker keeps zod out of its bundle.
import { isId } from './identity.js';
import type { BeckonEvent } from './types.js';

/** Bytes of `text` in UTF-8, as it is sent (a lone surrogate is U+FFFD, 3 bytes). */
export function utf8Length(text: string): number {
  // Most events are printable ASCII (JSON escapes control characters), where bytes are characters: a regular
  // expression tells so without encoding.
  return /[^ -~]/.test(text) ? new TextEncoder().encode(text).length : text.length;
}

/** A plain object usable as `properties` or `traits` (not an array, not null). */
export const isBag = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The field each type must name (a page needs nothing more than the id every event has). */
const REQUIRED: Record<string, string> = { page: 'messageId', screen: 'name', track: 'event', identify: 'userId' };

/** Whether a value read back from storage is still an event the collector will accept. */
export function isEvent(value: unknown): value is BeckonEvent {
  return (
    isBag(value) &&
    // (A type named like an Object.prototype member gets past `in`, but names a function: no field of the value.)
    (value.type as string) in REQUIRED &&
    isId(value[REQUIRED[value.type as string]!]) &&
    isId(value.messageId) &&
    isId(value.anonymousId) &&
    (value.userId === undefined || isId(value.userId)) &&
    typeof value.timestamp === 'string' &&
    !isNaN(Date.parse(value.timestamp)) &&
    (value.properties === undefined || isBag(value.properties))
  );
}
