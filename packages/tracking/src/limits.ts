// Size limits shared by the tracker, the schema and the collector. Plain constants: no zod here.

/** Most events one `POST /v1/batch` may carry; the tracker never sends more in one request. */
export const MAX_BATCH_LENGTH = 500;

/** Largest request body the tracker sends, in bytes; the collector should accept at least this much. */
export const MAX_BATCH_BYTES = 512 * 1024;

/** Largest accepted event, in bytes of its JSON; the tracker rejects bigger ones with a warning. */
export const MAX_EVENT_BYTES = 32 * 1024;

/** Largest request body sent while the page unloads (`sendBeacon` and `keepalive` fetch cap it at 64 kB). */
export const MAX_UNLOAD_BYTES = 64 * 1024;

/** Longest id, event name or page/screen name accepted. */
export const MAX_NAME_LENGTH = 200;

/** Deepest nesting of objects and arrays in one event (the event itself is level 1); deeper ones are refused. */
export const MAX_EVENT_DEPTH = 32;
