// Which action URLs a message may send a visitor to, without `URL` (React Native's does not parse schemes): the
// rule of `<beckon-message>` (`isSafeUrl` of @beckon/elements), and tested against it.

/**
 * Whether `url` may be followed: `http:`, `https:`, `mailto:`, `tel:` or relative. A scheme is read as a browser
 * reads it, through the spaces, tabs, newlines and control characters that disguise it (where a browser reads a
 * relative URL because of a space before its colon, this refuses it: stricter, never looser). A malformed
 * http(s) URL that `URL` refuses, such as `http://[`, passes here; it is only reported, and the app's router or
 * `Linking` refuses it.
 */
export function isSafeActionUrl(url: unknown): url is string {
  const scheme = typeof url === 'string' ? /^([a-z][a-z\d+.-]*):/i.exec(url.replace(/[\0- ]+/g, ''))?.[1] : '';
  return scheme === undefined ? !!(url as string).trim() : /^(https?|mailto|tel)$/i.test(scheme);
}
