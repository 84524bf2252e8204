// DNS rebinding: a page on evil.example can point its own name at the server's address; the browser then
// sends requests with `Host: evil.example` that look same-origin. The server answers only the names and
// addresses it serves, and trusts a same-host Origin only for those.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { isLoopback } from './cors.js';
import { HttpError } from './errors.js';

/** Which `Host` headers the server answers. */
export interface HostPolicy {
  /** Exact names and addresses, lower case, without port. */
  readonly names: ReadonlySet<string>;
  /** Suffixes from `*.example.com` entries (`.example.com`). */
  readonly suffixes: readonly string[];
  /** Any Host is served (but only those above are trusted as the server's own origin). */
  readonly any: boolean;
}

/** The host part of a Host header, lower case, without port or IPv6 brackets. */
export function hostName(header: string): string {
  const host = header.trim().toLowerCase();
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']') === -1 ? undefined : host.indexOf(']'));
  const colon = host.indexOf(':');
  // More than one colon and no brackets: a bare IPv6 address.
  return colon === -1 || host.indexOf(':', colon + 1) !== -1 ? host : host.slice(0, colon);
}

const isLoopbackName = (name: string): boolean => isLoopback(name) || name.endsWith('.localhost');
const isWildcardAddress = (host: string): boolean => host === '0.0.0.0' || host === '::' || host === '[::]' || host === '';

/**
 * Builds the policy. Loopback names and the listening address are always served. With `allowed` hosts
 * (names, addresses, `*.example.com`, or `*` for any), those too, and no others. Without: a server
 * listening on loopback serves nothing else (loopback is the usual target of DNS rebinding); one
 * listening elsewhere serves any Host. Throws a TypeError naming
 * an entry that is not a host name.
 */
export function hostPolicy(allowed: readonly string[] | undefined, listenHost: string | undefined): HostPolicy {
  const listen = listenHost === undefined || isWildcardAddress(listenHost) ? undefined : hostName(listenHost);
  const names = new Set<string>(listen === undefined ? [] : [listen]);
  const suffixes: string[] = [];
  for (const entry of allowed ?? []) {
    if (entry === '*') return { names, suffixes, any: true };
    const name = hostName(entry);
    // A name (`*.` in front allowed) or an address, with an optional port; never a URL.
    if (!/^(?:(?:\*\.)?[a-z0-9.-]+(?::\d+)?|\[[0-9a-f:.]+\](?::\d+)?|[0-9a-f:.]+)$/i.test(entry.trim())) {
      throw new TypeError(`allowed host "${entry}" is not a host name: write it like collect.example.com or *.example.com`);
    }
    if (name.startsWith('*.')) suffixes.push(name.slice(1));
    else names.add(name);
  }
  const configured = (allowed ?? []).length > 0;
  return { names, suffixes, any: !configured && (listen === undefined || !isLoopback(listen)) };
}

/**
 * Whether the name is one the policy lists (not merely served because any Host is). Loopback names always
 * are: a page elsewhere cannot make its browser send them.
 */
function listed(policy: HostPolicy, name: string): boolean {
  return policy.names.has(name) || policy.suffixes.some((suffix) => name.endsWith(suffix)) || isLoopbackName(name);
}

/**
 * Checks a request's Host header. Throws 421 naming the Host when the server does not serve it. Returns
 * whether the Host can be trusted as the server's own origin: a listed name, or an IP address (a page
 * can only rebind a name it owns, never an address).
 */
export function checkHost(policy: HostPolicy, req: IncomingMessage): boolean {
  const header = req.headers.host;
  // HTTP/1.0 tools may send none; a browser always does.
  if (header === undefined) return false;
  const name = hostName(header);
  if (listed(policy, name) || isIP(name) !== 0) return true;
  if (policy.any) return false;
  throw new HttpError(421, `host "${name}" is not served here: add it with --allowed-host (the allowedHosts option)`);
}
