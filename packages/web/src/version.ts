/** The version of @beckon/web, sent as `context.library.version` with every event. */
export const VERSION = '0.1.0';
