// A forwarding destination as given on the command line or in createServer's options, and how it is
// shown: never with its credentials (Basic auth key, user info, query values) in logs or health.

/** Where events are forwarded, and with what key. */
export interface Destination {
  /** The URL as shown in logs, health and the outbox: no user info, no fragment, query values hidden. */
  name: string;
  /** The URL events are POSTed to (user info and fragment removed). */
  url: string;
  /** The `Authorization` header, when a key was given: Basic with the key as user name, as Segment sends it. */
  authorization?: string;
}

/** A destination in createServer's options: a URL (`https://host/path#key`) or the URL and key apart. */
export type DestinationOption = string | { url: string; key?: string };

/** The form a destination's URL takes when shown. */
function shown(url: URL): string {
  const copy = new URL(url);
  copy.username = '';
  copy.password = '';
  copy.hash = '';
  for (const key of [...new Set(copy.searchParams.keys())]) copy.searchParams.set(key, '***');
  return copy.toString().replace(/%2A%2A%2A/g, '***');
}

/**
 * Reads a destination: an http(s) URL whose fragment (`#key`), or user info (`https://key@host/…`), is the
 * key sent as the Basic auth user name, as Segment's and RudderStack's HTTP sources expect. Throws a
 * TypeError naming `field` when it is not an http(s) URL.
 */
export function parseDestination(option: DestinationOption, field = '--forward'): Destination {
  const text = typeof option === 'string' ? option : option.url;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(`${field} "${text.replace(/#.*/, '#***')}" is not a URL: use http(s)://host/path, with #key for a write key`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`${field} ${shown(url)} must be an http:// or https:// URL`);
  }
  const fragment = url.hash === '' ? undefined : decodeURIComponent(url.hash.slice(1));
  const key = typeof option === 'string' ? fragment : option.key;
  let user: string | undefined;
  if (url.username !== '' || url.password !== '') user = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  else if (key !== undefined && key !== '') user = `${key}:`;
  const name = shown(url);
  const target = new URL(url);
  target.username = '';
  target.password = '';
  target.hash = '';
  return { name, url: target.toString(), ...(user === undefined ? {} : { authorization: `Basic ${Buffer.from(user).toString('base64')}` }) };
}

/** Reads every destination; throws a TypeError when one is wrong or two would be shown alike. */
export function parseDestinations(options: readonly DestinationOption[], field = '--forward'): Destination[] {
  const destinations = options.map((option) => parseDestination(option, field));
  const names = new Set<string>();
  for (const { name } of destinations) {
    if (names.has(name)) throw new TypeError(`${field} ${name} is given twice: each destination needs its own URL (path or query names)`);
    names.add(name);
  }
  return destinations;
}
