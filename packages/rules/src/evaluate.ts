// The decision: which compiled messages to show now, best first, and one reason for every other one.
import { isCompiledCatalog, type CompiledCatalog, type CompiledMessage } from './compiled.js';
import { formatDuration, parseDuration } from './duration.js';
import { isHeldOut } from './holdout.js';
import { historyOf, markTime, type Ledger, type Mark } from './ledger.js';
import { createPatternTable, createSubject, prepareRules, ruleMiss, type PatternTable, type PreparedRules, type Subject } from './match.js';
import { currentSession } from './session.js';
import type { Duration, SkipReason } from './types.js';

/** What is known about this visitor and this moment. */
export interface EvaluateContext {
  /** The page: an absolute URL (`https://shop.example.com/pricing?plan=pro`) or a path (`/pricing`). */
  url?: string;
  /** The mobile screen name, for apps. */
  screen?: string;
  /** Whether the visitor is identified (signed up or logged in). */
  identified: boolean;
  /** The id holdout groups are hashed from. Keep passing the anonymous id after identify so groups stay stable. */
  visitorId: string;
  /** The tracked event being evaluated. Messages with `trigger.event` show only on that event; others only on page views. */
  event?: { name: string; properties?: Record<string, unknown> };
  /** Session facts, when the caller tracks sessions itself; by default they come from the ledger's session. */
  session?: { startedAt: number; pageViews: number };
}

/** Limits across messages. */
export interface EvaluateOptions {
  /** At most this many modals at a time, counting those in `showing`. Default 1. */
  maxModals?: number;
  /** At most this many messages in `show`. Default: no limit. */
  maxMessages?: number;
  /** Minimum time between any two shows, across all messages (a duration). Default: none. */
  minIntervalBetweenMessages?: Duration;
  /** Ids of the messages on screen right now: they are not offered again and their modals count. */
  showing?: readonly string[];
  /** The session timeout used to tell whether the ledger's session is still going. Default 30 minutes. */
  sessionTimeoutMs?: number;
}

/** What the caller must wait for before showing a message; absent in a decision: show now. */
export interface PendingTrigger {
  /** Milliseconds to wait. */
  delay?: number;
  /** Show once the visitor scrolled this far down the page (0–100). */
  scrollPercent?: number;
  /** Show when the pointer leaves the top of the window. */
  exitIntent?: boolean;
}

/** A message to show. */
export interface Decision {
  message: CompiledMessage;
  /** Present when the message waits for a delay, a scroll depth or exit intent: arm it, then show. */
  trigger?: PendingTrigger;
}

/** A message not shown, and why. */
export interface Skip {
  message: CompiledMessage;
  reason: SkipReason;
  /** The reason as a sentence, e.g. `shown 3 of 3 times (maxShows)`. */
  detail: string;
  /** For `holdout`: the trigger a shown message would have waited for, so the caller can record the holdout then. */
  trigger?: PendingTrigger;
}

/** The result of `evaluate`: messages to show, best first (priority, then id), and every other one with its reason. */
export interface Evaluation {
  show: Decision[];
  skipped: Skip[];
}

/** A compiled message with its rules prepared for matching. */
interface PreparedMessage {
  message: CompiledMessage;
  pages: PreparedRules | undefined;
  screens: PreparedRules | undefined;
  pending: PendingTrigger | undefined;
  modal: boolean;
}

interface PreparedCatalog {
  table: PatternTable;
  /** Best first: priority, then id. */
  messages: PreparedMessage[];
  modalIds: Set<string>;
}

// Expressions are built once per catalog object, not on every evaluation.
const prepared = new WeakMap<CompiledCatalog, PreparedCatalog>();

function prepare(catalog: CompiledCatalog): PreparedCatalog {
  let ready = prepared.get(catalog);
  if (ready) return ready;
  if (!isCompiledCatalog(catalog)) {
    throw new TypeError('evaluate: expected a compiled catalog ({ v: 1, messages }), the output of compileCatalog; compile the catalog with this version of @beckon/rules.');
  }
  const table = createPatternTable();
  const messages = [...catalog.messages]
    .sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((message): PreparedMessage => {
      const { delay, scrollPercent, exitIntent } = message.trigger ?? {};
      const pending: PendingTrigger = {};
      if (delay) pending.delay = delay;
      if (scrollPercent) pending.scrollPercent = scrollPercent;
      if (exitIntent) pending.exitIntent = true;
      return {
        message,
        pages: message.pages && prepareRules(table, message.pages),
        screens: message.screens && prepareRules(table, message.screens),
        pending: Object.keys(pending).length > 0 ? pending : undefined,
        modal: message.layout.type === 'modal',
      };
    });
  ready = { table, messages, modalIds: new Set(messages.filter((m) => m.modal).map((m) => m.message.id)) };
  prepared.set(catalog, ready);
  return ready;
}

/**
 * Decides which messages of a compiled catalog to show to this visitor now, best first, and gives every
 * other message one reason (see `SkipReason`) with a sentence. Pure: time comes in as `now` (epoch ms).
 */
export function evaluate(catalog: CompiledCatalog, context: EvaluateContext, ledger: Ledger, now: number, options: EvaluateOptions = {}): Evaluation {
  const ready = prepare(catalog);
  const subject = createSubject(context.url, context.screen, ready.table);
  const session = context.session ?? sessionFacts(ledger, now, options.sessionTimeoutMs);
  const showing = new Set(options.showing ?? []);
  const maxModals = options.maxModals ?? 1;
  const maxMessages = options.maxMessages ?? Infinity;
  let modals = [...showing].filter((id) => ready.modalIds.has(id)).length;
  const gap = globalGap(ledger, now, options.minIntervalBetweenMessages);
  const show: Decision[] = [];
  const skipped: Skip[] = [];

  for (const item of ready.messages) {
    const message = item.message;
    const miss = eligibilityMiss(item, context, subject, session, ledger, now);
    if (miss) {
      skipped.push({ message, reason: miss[0], detail: miss[1] });
    } else if (isHeldOut(context.visitorId, message.id, message.holdout)) {
      const skip: Skip = { message, reason: 'holdout', detail: `in the control group (holdout ${Math.round(message.holdout * 1000) / 10}%)` };
      if (item.pending) skip.trigger = { ...item.pending };
      skipped.push(skip);
    } else {
      const limit = showing.has(message.id)
        ? 'already showing'
        : gap
          ? gap
          : item.modal && modals >= maxModals
            ? `at most ${maxModals} modal${maxModals === 1 ? '' : 's'} at a time (maxModals)`
            : show.length >= maxMessages
              ? `at most ${maxMessages} message${maxMessages === 1 ? '' : 's'} at a time (maxMessages)`
              : undefined;
      if (limit) {
        skipped.push({ message, reason: 'limit', detail: limit });
      } else {
        if (item.modal) modals++;
        show.push(item.pending ? { message, trigger: { ...item.pending } } : { message });
      }
    }
  }
  return { show, skipped };
}

type Miss = [reason: SkipReason, detail: string];

/** The first rule that keeps a message from showing, in the order schedule, audience, place, trigger, ledger. */
function eligibilityMiss(item: PreparedMessage, context: EvaluateContext, subject: Subject, session: SessionFacts, ledger: Ledger, now: number): Miss | undefined {
  const message = item.message;
  const schedule = message.schedule;
  if (schedule) {
    if (schedule.start !== undefined && now < schedule.start) return ['schedule', `starts at ${iso(schedule.start)}`];
    if (schedule.end !== undefined && now >= schedule.end) return ['schedule', `ended at ${iso(schedule.end)}`];
  }
  if (message.audience === 'anonymous' && context.identified) return ['audience', 'for anonymous visitors only, and this visitor is identified'];
  if (message.audience === 'identified' && !context.identified) return ['audience', 'for identified visitors only, and this visitor is anonymous'];
  if (item.pages || item.screens) {
    const place = placeMiss(item, subject);
    if (place) return place;
  }
  const trigger = message.trigger;
  const event = context.event;
  if (trigger?.event !== undefined) {
    if (event?.name !== trigger.event) return ['trigger', `waits for the event "${trigger.event}"`];
  } else if (event) {
    return ['trigger', `shows on page and screen views, not on the event "${event.name}"`];
  }
  if (trigger?.minPageViews && session.pageViews < trigger.minPageViews) {
    return ['trigger', `waits for page view ${trigger.minPageViews} of the session (this is page view ${session.pageViews})`];
  }
  const history = historyOf(ledger, message.id);
  return history && frequencyMiss(message, history.s, history.d, history.a, session, now);
}

function placeMiss(item: PreparedMessage, subject: Subject): Miss | undefined {
  let pageMiss: string | undefined;
  let screenMiss: string | undefined;
  if (item.pages) {
    pageMiss = subject.address ? ruleMiss(item.pages, subject) : 'has page rules, and the context has no url';
    if (pageMiss === undefined) return undefined;
  }
  if (item.screens) {
    screenMiss = subject.screen !== undefined ? ruleMiss(item.screens, subject) : 'has screen rules, and the context has no screen';
    if (screenMiss === undefined) return undefined;
  }
  if (pageMiss !== undefined && (subject.address || screenMiss === undefined)) {
    return ['page', subject.address ? `${pageMiss} on page "${subject.address.path}"` : pageMiss];
  }
  return ['screen', subject.screen !== undefined ? `${screenMiss!} on screen "${subject.screen}"` : screenMiss!];
}

function frequencyMiss(message: CompiledMessage, shown: Mark[] | undefined, dismissed: Mark[] | undefined, acted: Mark[] | undefined, session: SessionFacts, now: number): Miss | undefined {
  const frequency = message.frequency;
  if (frequency.stopOnDismiss && dismissed?.length) return ['dismissed', `dismissed at ${iso(markTime(dismissed[dismissed.length - 1]!))} (stopOnDismiss)`];
  if (frequency.stopOnAction && acted?.length) return ['acted', `action taken at ${iso(markTime(acted[acted.length - 1]!))} (stopOnAction)`];
  if (!shown?.length) return undefined;
  if (frequency.maxShows !== undefined && shown.length >= frequency.maxShows) {
    return ['frequency:maxShows', `shown ${shown.length} of ${frequency.maxShows} times (maxShows)`];
  }
  const last = markTime(shown[shown.length - 1]!);
  if (frequency.minInterval !== undefined && now - last < frequency.minInterval) {
    return ['frequency:minInterval', `shown ${formatDuration(Math.max(0, now - last))} ago; minInterval is ${formatDuration(frequency.minInterval)}`];
  }
  const caps = frequency.caps ?? [];
  for (let i = 0; i < caps.length; i++) {
    const cap = caps[i]!;
    // A session counts shows from its start on; a window, those less than `per` ago.
    const count = cap.per === 'session' ? countFrom(shown, session.startedAt, true) : countFrom(shown, now - cap.per, false);
    if (count >= cap.max) {
      const window = cap.per === 'session' ? 'this session' : `in the last ${formatDuration(cap.per)}`;
      return ['frequency:cap', `shown ${count} of ${cap.max} times ${window} (caps[${i}])`];
    }
  }
  return undefined;
}

/** Marks after `bound` (or at it, when `inclusive`); the list is oldest first, so count from the end. */
function countFrom(marks: Mark[], bound: number, inclusive: boolean): number {
  let count = 0;
  for (let i = marks.length - 1; i >= 0; i--) {
    const at = markTime(marks[i]!);
    if (at < bound || (at === bound && !inclusive)) break;
    count++;
  }
  return count;
}

interface SessionFacts {
  startedAt: number;
  pageViews: number;
}

function sessionFacts(ledger: Ledger, now: number, sessionTimeoutMs: number | undefined): SessionFacts {
  const session = currentSession(ledger, now, { sessionTimeoutMs });
  return session ? { startedAt: session.start, pageViews: session.views } : { startedAt: now, pageViews: 0 };
}

/** When another message was shown less than `minIntervalBetweenMessages` ago, why nothing may show now. */
function globalGap(ledger: Ledger, now: number, interval: Duration | undefined): string | undefined {
  if (interval === undefined) return undefined;
  const ms = parseDuration(interval);
  if (ms === undefined) throw new TypeError(`evaluate: minIntervalBetweenMessages ${JSON.stringify(interval)} is not a duration; use e.g. "10m" or a number of milliseconds.`);
  let last = -Infinity;
  for (const id of Object.keys(ledger.messages)) {
    const shown = ledger.messages[id]!.s;
    if (shown?.length) last = Math.max(last, markTime(shown[shown.length - 1]!));
  }
  return now - last < ms ? `a message was shown ${formatDuration(Math.max(0, now - last))} ago; minIntervalBetweenMessages is ${formatDuration(ms)}` : undefined;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
