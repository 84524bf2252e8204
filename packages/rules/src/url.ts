// Splits a page address into the parts page patterns are tested on, without the URL class (a path alone is valid input).

/** The parts of a page address that patterns look at. */
export interface PageAddress {
  /** Lowercase host name without the port; `''` when only a path was given. */
  hostname: string;
  /** Lowercase host with its port, if any. */
  host: string;
  /** Decoded path without a trailing slash; `/` for the root. */
  path: string;
  /** The query without `?`; `''` when there is none. */
  query: string;
  /** The hash without `#`, decoded; `''` when there is none. */
  hash: string;
}

const ADDRESS = /^(?:[a-z][a-z\d+.-]*:)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/is;

/** Reads an absolute URL (`https://shop.example.com/a?b=1#c`), a protocol-relative one or a path (`/a?b=1`). */
export function parseAddress(url: string): PageAddress {
  const match = ADDRESS.exec(url.trim())!;
  const authority = (match[1] ?? '').toLowerCase();
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  const port = /:\d*$/.exec(host);
  let path = decode(match[2] ?? '', decodeURI);
  if (!path.startsWith('/')) path = `/${path}`;
  if (path.length > 1 && path.endsWith('/')) path = path.replace(/\/+$/, '') || '/';
  return {
    hostname: port ? host.slice(0, port.index) : host,
    host,
    path,
    query: match[3] ?? '',
    hash: decode(match[4] ?? '', decodeURIComponent),
  };
}

/** Query parameters by name (lowercased when `lowercase`), each with every value it was given. */
export function parseQuery(query: string, lowercase: boolean): Map<string, string[]> {
  const params = new Map<string, string[]>();
  if (query === '') return params;
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    let name = decode((at < 0 ? pair : pair.slice(0, at)).replace(/\+/g, ' '), decodeURIComponent);
    if (lowercase) name = name.toLowerCase();
    const value = at < 0 ? '' : decode(pair.slice(at + 1).replace(/\+/g, ' '), decodeURIComponent);
    const values = params.get(name);
    if (values) values.push(value);
    else params.set(name, [value]);
  }
  return params;
}

/** Percent-decodes, keeping the text as it is when it is malformed (`%E0%A4%A`) rather than throwing. */
function decode(text: string, decoder: (text: string) => string): string {
  if (!text.includes('%')) return text;
  try {
    return decoder(text);
  } catch {
    return text;
  }
}
