// GET and DELETE /v1/people/{id}: access to, and erasure of, everything stored about one person, named
// by a user id or an anonymous id. Behind the admin key, which neither the write nor the read key opens.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Storage } from '../storage/contract.js';
import type { Person, PersonRef } from '../storage/people.js';
import { HttpError } from './errors.js';
import { requireAdminKey } from './keys.js';
import { sendJson } from './respond.js';

/** The path the people routes live under; the rest of the path is the id. */
export const PEOPLE_PATH = '/v1/people/';

/** What the people routes need from the server around them. */
export interface PeopleOptions {
  adminKey: string | undefined;
  storage: Pick<Storage, 'findPerson' | 'exportPerson' | 'erasePerson'>;
  now(): number;
  /** How long the late events of an erased person are refused (ms). */
  refuseForMs: number;
}

type Route = (req: IncomingMessage, res: ServerResponse, url: URL, cors: Record<string, string>) => Promise<void>;

const NO_STORE = { 'cache-control': 'no-store' };

/** The id in `/v1/people/{id}` (percent-decoded), or a 400 naming what is wrong with it. */
export function personIdOf(pathname: string): string {
  const raw = pathname.slice(PEOPLE_PATH.length);
  let id: string;
  try {
    id = decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, `person id "${raw.slice(0, 200)}" is not valid percent-encoding: encode the id with encodeURIComponent`);
  }
  if (id === '') throw new HttpError(400, 'person id missing: use /v1/people/{userId or anonymousId}');
  return id;
}

/** Which people `?as=` lets the id name: `user`, `anonymous`, or (absent) either. */
function kindsOf(url: URL): Array<'user' | 'anonymous'> {
  const as = url.searchParams.get('as');
  if (as === null) return ['user', 'anonymous'];
  if (as === 'user' || as === 'anonymous') return [as];
  throw new HttpError(400, `as "${as.slice(0, 50)}" is not allowed: use as=user or as=anonymous (or leave it out for either)`);
}

const refOf = (kind: 'user' | 'anonymous', id: string): PersonRef => (kind === 'user' ? { userId: id } : { anonymousId: id });

/**
 * The one person an id names. Without `?as=`, a user id and an anonymous id are both tried; when they
 * name two different people the request is ambiguous (409), and nothing is read or deleted.
 */
async function resolve(storage: PeopleOptions['storage'], id: string, url: URL): Promise<PersonRef> {
  const found: Array<{ ref: PersonRef; person: Person }> = [];
  for (const kind of kindsOf(url)) {
    const person = await storage.findPerson(refOf(kind, id));
    if (person) found.push({ ref: refOf(kind, id), person });
  }
  if (found.length === 0) {
    const as = url.searchParams.get('as');
    throw new HttpError(404, `no person with ${as === null ? 'user id or anonymous id' : `${as} id`} ${JSON.stringify(id)} is stored: nothing was read or deleted`);
  }
  const [first, second] = found;
  if (second && (second.person.userId !== first!.person.userId || second.person.anonymousIds.join('\n') !== first!.person.anonymousIds.join('\n'))) {
    throw new HttpError(409, `${JSON.stringify(id)} is a user id and also an anonymous id of someone else: add ?as=user or ?as=anonymous; nothing was read or deleted`);
  }
  return first!.ref;
}

/** GET (access) and DELETE (erasure) of `/v1/people/{id}`. */
export function peopleRoute(options: PeopleOptions): { GET: Route; DELETE: Route } {
  return {
    GET: async (req, res, url, cors) => {
      requireAdminKey(req, options.adminKey);
      const ref = await resolve(options.storage, personIdOf(url.pathname), url);
      const exported = await options.storage.exportPerson(ref);
      if (!exported) throw new HttpError(404, 'that person was erased just now: nothing is stored of them');
      sendJson(res, 200, exported, { ...NO_STORE, ...cors });
    },
    DELETE: async (req, res, url, cors) => {
      requireAdminKey(req, options.adminKey);
      const ref = await resolve(options.storage, personIdOf(url.pathname), url);
      const now = options.now();
      const report = await options.storage.erasePerson(ref, now, now + options.refuseForMs);
      if (!report) throw new HttpError(404, 'that person was erased just now: nothing more was deleted');
      const { userId, anonymousIds, deleted, refusedUntil } = report;
      sendJson(res, 200, { erased: { userId, anonymousIds }, deleted, refusedUntil: new Date(refusedUntil).toISOString() }, { ...NO_STORE, ...cors });
    },
  };
}
