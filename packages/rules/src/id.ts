/** What a message id looks like: 1 to 64 of a-z, 0-9, `_` and `-`, starting with a letter or digit. */
export const MESSAGE_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
