/** The version of @beckon/tracking, sent as `context.library.version`. */
export const VERSION = '0.1.0';
