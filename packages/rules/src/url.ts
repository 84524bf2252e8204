// Splits a page address into the parts page patterns are tested on, without the URL class (a path alone is valid input).

/** The parts of a page address that patterns look at. */
export interface PageAddress {
  /** Decoded path without a trailing slash; `/` for the root. */
  path: string;
  /** The path, then `?` and the query when there is one. */
  pathQuery: string;
  /** Lowercase host name and path (the root without its slash); absent when only a path was given. */
  host: string | undefined;
  /** The same with the port, if any. */
  hostPort: string | undefined;
  /** The query without `?`; `''` when there is none. */
  query: string;
  /** The hash without `#`, decoded; `''` when there is none. */
  hash: string;
}

const ADDRESS = /^(?:[a-z][a-z\d+.-]*:)?(?:\/\/(?:[^/?#]*@)?(\[[^\]]*\]|[^/?#:]*)(:\d*)?)?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/is;

/** Reads an absolute URL (`https://shop.example.com/a?b=1#c`), a protocol-relative one or a path (`/a?b=1`). */
export function parseAddress(url: string): PageAddress {
  const [, hostname = '', port = '', rawPath = '', query = '', hash = ''] = ADDRESS.exec(url.trim())!;
  const path = normalizePath(rawPath);
  const host = hostname.toLowerCase();
  // A host pattern names the home page without a slash: `shop.example.com`.
  const tail = path === '/' ? '' : path;
  return {
    path,
    pathQuery: path + (query && `?${query}`),
    host: host ? host + tail : undefined,
    // The port is digits: nothing to lowercase.
    hostPort: host ? host + port + tail : undefined,
    query,
    hash: decode(hash, decodeURIComponent),
  };
}

/**
 * The path as page rules see it, the same in browsers and servers: `\\` read as `/` (as browsers do), each
 * percent-escape decoded once (`%2F` too, so an encoded slash is a slash; malformed or non-UTF-8 escapes stay
 * as written), control characters (NUL and the rest of U+0000–U+001F, U+007F) removed, `.` and `..`
 * segments resolved, repeated slashes collapsed and the trailing slash dropped: `/a//b/./c/../%64%00/` →
 * `/a/b/d`. An exclude of `/store/signup` therefore also excludes `/store//signup` and `/store/signup%00`.
 */
export function normalizePath(path: string): string {
  const segments: string[] = [];
  const decoded = path.replace(/\\/g, '/').replace(/(?:%[\da-f]{2})+/gi, (escapes) => decode(escapes, decodeURIComponent));
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  for (const segment of decoded.replace(/[\0-\x1f\x7f]/g, '').split('/')) {
    if (segment === '..') segments.pop();
    else if (segment && segment !== '.') segments.push(segment);
  }
  return `/${segments.join('/')}`;
}

/** Query parameters as decoded [name, value] pairs, in order. */
export function parseQuery(query: string): Array<[name: string, value: string]> {
  return query
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const [name = '', value = ''] = pair.replace(/\+/g, ' ').split(/=(.*)/s);
      return [decode(name, decodeURIComponent), decode(value, decodeURIComponent)];
    });
}

/** Percent-decodes, keeping the text as it is when it is malformed (`%E0%A4%A`) rather than throwing. */
function decode(text: string, decoder: (text: string) => string): string {
  try {
    return decoder(text);
  } catch {
    return text;
  }
}
