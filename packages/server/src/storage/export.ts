// Reading every stored event of a time range, a page at a time, for `beckon export` and GET /v1/export:
// memory stays that of one page whatever the range holds.

/** A stored event as an export reads it. */
export interface ExportedEvent {
  /** The event as stored (JSON). */
  body: string;
  /** When it was stored (epoch ms). */
  receivedMs: number;
}

/** Rows of one page: the consumer asks for the next only when it has written this one (backpressure). */
export type ExportPages = AsyncIterable<ExportedEvent[]>;

/** Events per page: small enough to keep memory flat, large enough that a page costs one round trip. */
export const EXPORT_PAGE_SIZE = 1_000;
