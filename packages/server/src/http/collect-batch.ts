// Which events of a POST /v1/batch body are stored and which are refused, and why: a valid event is
// never lost because of an invalid neighbour, and an event too deep to handle safely is refused alone.
import type { CollectedEvent } from '@beckon/tracking';
import {
  aliasSchema,
  eventSchema,
  formatPath,
  groupSchema,
  MAX_BATCH_LENGTH,
  MAX_EVENT_DEPTH,
  parseBatch,
  toFieldErrors,
  type FieldError,
} from '@beckon/tracking/schema';
import { wellFormedBatch, wellFormedEvent } from './batch-body.js';
import { HttpError } from './errors.js';

/** An event of the batch that was not stored: where it was, its id when it had one, and why. */
export interface RefusedEvent {
  /** Its position in `batch`, from 0. */
  index: number;
  /** The event's `messageId`, when it sent a string there. */
  messageId?: string;
  /** What is wrong, naming each field (`batch[3].timestamp: must be ...`). */
  reason: string;
}

/** A batch sorted into the events to store (in order) and the refused ones. */
export interface CollectedBatch {
  events: CollectedEvent[];
  refused: RefusedEvent[];
  /** Each problem of the refused events with its path, as a 400 answer lists them. */
  issues: FieldError[];
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * True when `value` nests objects or arrays more than `max` levels deep (`value` itself is level 1).
 * Walks without recursion, so no input can overflow the stack here.
 */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const stack: Array<[object, number]> = [[value, 1]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [node, depth] = top;
    if (depth > max) return true;
    for (const child of Object.values(node)) {
      if (typeof child === 'object' && child !== null) stack.push([child as object, depth + 1]);
    }
  }
  return false;
}

/** One event as stored, or its problems with paths from the batch (`batch[3].timestamp`). */
/** The schema of an event by its type: Segment's alias and group have their own, Beckon's four share one. */
const schemaOf = (input: unknown) => {
  const type = isObject(input) ? input['type'] : undefined;
  return type === 'alias' ? aliasSchema : type === 'group' ? groupSchema : eventSchema;
};

function checkEvent(input: unknown, index: number): { event: CollectedEvent } | { problems: FieldError[] } {
  if (nestedDeeperThan(input, MAX_EVENT_DEPTH)) {
    const message = `nests objects or arrays more than ${MAX_EVENT_DEPTH} levels deep: flatten its properties`;
    return { problems: [{ path: `batch[${index}]`, message }] };
  }
  const fast = wellFormedEvent(input);
  if (fast) return { event: fast };
  const result = schemaOf(input).safeParse(input);
  if (result.success) return { event: result.data as CollectedEvent };
  const problems = toFieldErrors(result.error, input).map(({ path, message }) => ({
    path: formatPath(['batch', index]) + (path === '' || path.startsWith('[') ? path : `.${path}`),
    message,
  }));
  return { problems };
}

/**
 * Sorts a parsed POST /v1/batch body into the events to store and the refused ones. Throws a 400
 * HttpError when the body itself is wrong (not `{ batch: [...] }` with 1 to 500 events).
 */
export function collectBatch(body: unknown): CollectedBatch {
  const batch = isObject(body) ? body['batch'] : undefined;
  if (!Array.isArray(batch) || batch.length < 1 || batch.length > MAX_BATCH_LENGTH) {
    const parsed = parseBatch(body);
    throw new HttpError(400, 'batch does not match the event schema', parsed.ok ? [] : parsed.errors.filter((e) => !/^batch\[/.test(e.path)));
  }
  // The common case, every event well-formed and shallow, takes the fast path.
  if (!batch.some((event) => nestedDeeperThan(event, MAX_EVENT_DEPTH))) {
    const events = wellFormedBatch(body);
    if (events) return { events, refused: [], issues: [] };
  }
  const events: CollectedEvent[] = [];
  const refused: RefusedEvent[] = [];
  const issues: FieldError[] = [];
  batch.forEach((input: unknown, index) => {
    const checked = checkEvent(input, index);
    if ('event' in checked) {
      events.push(checked.event);
      return;
    }
    const { problems } = checked;
    const messageId = isObject(input) && typeof input['messageId'] === 'string' ? input['messageId'] : undefined;
    const reason = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    refused.push({ index, ...(messageId === undefined ? {} : { messageId: messageId.slice(0, 200) }), reason });
    issues.push(...problems);
  });
  return { events, refused, issues };
}
