/** The version of @beckon/react, sent as `context.library.version` by React Native apps. */
export const VERSION = '0.1.0';
