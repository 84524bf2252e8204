// parseCatalog: validates a catalog message by message, so one bad message never sinks the rest.
import { quote } from './quote.js';
import { messageSchema } from './schema.js';
import type { Message } from './types.js';

/** A problem in a catalog: where it is, and a sentence that names the fix. */
export interface CatalogError {
  /** Where, as JavaScript would reach it: `messages[3].pages.include[1]`; `''` for the catalog itself. */
  path: string;
  /** The id of the message the problem is in, when it has a readable one. */
  messageId?: string;
  /** The whole sentence, starting with the path: `messages[3].pages.include[1]: "/pri[cing" is not a valid pattern (unclosed "[")…`. */
  message: string;
}

/** The valid messages of a catalog, and every problem with the others (which are left out). */
export interface ParsedCatalog {
  messages: Message[];
  errors: CatalogError[];
}

/** Messages that came out of `parseCatalog`, so `compileCatalog` need not validate them again. */
export const validated = new WeakSet<Message>();

/**
 * Validates a catalog, `{ "messages": [...] }` or a bare array of messages (paths read `messages[i]` either
 * way). A message with any problem is left out and each problem reported; the others come back as given,
 * unknown keys being errors. Never throws.
 */
export function parseCatalog(input: unknown): ParsedCatalog {
  const errors: CatalogError[] = [];
  const list = catalogMessages(input, errors);
  const messages: Message[] = [];
  const firstIndex = new Map<string, number>();
  list.forEach((item, index) => {
    const base = `messages[${index}]`;
    const id = readableId(item);
    const result = messageSchema.safeParse(item);
    if (!result.success) {
      for (const issue of result.error.issues as unknown as Issue[]) {
        for (const [path, text] of describeIssue(issue, valueAt(item, issue.path))) errors.push(catalogError(base + path, text, id));
      }
      return;
    }
    const first = firstIndex.get(result.data.id);
    if (first !== undefined) {
      errors.push(catalogError(`${base}.id`, `"${result.data.id}" is the id of messages[${first}] too; rename one`, id));
      return;
    }
    firstIndex.set(result.data.id, index);
    validated.add(result.data as Message);
    messages.push(result.data as Message);
  });
  return { messages, errors };
}

function catalogMessages(input: unknown, errors: CatalogError[]): unknown[] {
  if (Array.isArray(input)) return input;
  const shape = 'a catalog is { "messages": [...] } or an array of messages';
  if (typeof input === 'string') {
    errors.push(catalogError('', `got text; JSON.parse it first: ${shape}`));
    return [];
  }
  if (typeof input !== 'object' || input === null) {
    errors.push(catalogError('', `got ${quote(input)}; ${shape}`));
    return [];
  }
  for (const key of Object.keys(input)) {
    if (key !== 'messages' && key !== '$schema') errors.push(catalogError(formatPath([key]).replace(/^\./, ''), unknownKey(key, ['messages', '$schema'])));
  }
  const messages = (input as { messages?: unknown }).messages;
  if (!Array.isArray(messages)) {
    errors.push(catalogError('messages', `${messages === undefined ? 'is missing' : `must be an array (got ${quote(messages)})`}; ${shape}`));
    return [];
  }
  return messages;
}

function catalogError(path: string, text: string, messageId?: string): CatalogError {
  const error: CatalogError = { path, message: path ? `${path}: ${text}` : text };
  if (messageId !== undefined) error.messageId = messageId;
  return error;
}

function readableId(item: unknown): string | undefined {
  const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id.length <= 64 ? id : undefined;
}

/** The parts of a zod issue the sentences are made from (zod/mini ships no message texts of its own). */
interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  keys?: string[];
}

/** The parts of a zod schema's definition `knownKeys` walks. */
interface SchemaNode {
  _zod: { def: { type: string; shape?: Record<string, SchemaNode>; innerType?: SchemaNode } };
  /** The item schema of a list. */
  item?: SchemaNode;
}

/** The keys the object schema at `path` allows, for "did you mean". */
function knownKeys(schema: SchemaNode | undefined, path: PropertyKey[]): string[] {
  const def = schema?._zod.def;
  if (def?.type === 'optional') return knownKeys(def.innerType, path);
  if (schema?.item) return knownKeys(schema.item, path.slice(1));
  if (!def?.shape) return [];
  return path.length ? knownKeys(def.shape[String(path[0])], path.slice(1)) : Object.keys(def.shape);
}

/** One sentence per problem, each with the path below the message (`.pages.include[1]`). */
function describeIssue(issue: Issue, value: unknown): Array<[path: string, text: string]> {
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(messageSchema as unknown as SchemaNode, issue.path);
    return (issue.keys ?? []).map((key) => [path + formatPath([key]), unknownKey(key, known)]);
  }
  if (issue.code !== 'invalid_type') return [[path, issue.message]];
  const expected = issue.expected === 'boolean' ? 'true or false' : `${/^[aeiou]/.test(issue.expected!) ? 'an' : 'a'} ${issue.expected}`;
  return [[path, value === undefined ? `is missing; add ${expected}` : `must be ${expected} (got ${quote(value)})`]];
}

function unknownKey(key: string, known: string[]): string {
  const close = known.find((name) => editDistance(key.toLowerCase(), name.toLowerCase()) <= 2);
  return close ? `unknown key "${key}"; did you mean "${close}"?` : `unknown key "${key}"; remove it (known keys: ${known.join(', ')})`;
}

/** `['pages', 'include', 1]` → `.pages.include[1]`. */
function formatPath(path: PropertyKey[]): string {
  return path.map((key) => (typeof key === 'number' ? `[${key}]` : /^[a-z_$][\w$]*$/i.test(String(key)) ? `.${String(key)}` : `[${JSON.stringify(String(key))}]`)).join('');
}

function valueAt(value: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>((at, key) => (typeof at === 'object' && at !== null ? (at as Record<PropertyKey, unknown>)[key] : undefined), value);
}

/** Levenshtein distance, for "did you mean". */
function editDistance(a: string, b: string): number {
  let previous = [...Array(b.length + 1).keys()];
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}
