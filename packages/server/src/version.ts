/** The version of @beckon/server. */
export const VERSION = '0.1.0';
