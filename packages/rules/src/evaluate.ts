// The decision: which compiled messages to show now, best first, and one reason for every other one.
import { isCompiledCatalog, type CompiledCap, type CompiledCatalog, type CompiledMessage } from './compiled.js';
import { formatDuration } from './duration.js';
import { isHeldOut } from './holdout.js';
import { historyOf, type Ledger } from './ledger.js';
import { createSubject, preparePatterns, prepareRules, ruleMiss, type PreparedPatterns, type PreparedRules, type Subject } from './match.js';
import { sessionAt } from './session.js';
import type { Audience, SkipReason } from './types.js';

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
  /** Minimum milliseconds between any two shows, across all messages. Default: none. */
  minIntervalBetweenMessages?: number;
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

/**
 * A compiled message with every option read out and defaulted, in one object shape for all messages: the
 * evaluation loop then reads the same shape 10,000 times, which keeps it fast. Its rules (copied, with their
 * miss sentence) are allocated beside it in the order the loop walks them, so a page miss (the common case in
 * a large catalog) reads memory in sequence and neither looks up a pattern nor builds a string.
 */
interface Prepared {
  message: CompiledMessage;
  id: string;
  audience: Audience;
  pages: PreparedRules | undefined;
  screens: PreparedRules | undefined;
  start: number;
  end: number;
  event: string | undefined;
  minPageViews: number;
  maxShows: number;
  minInterval: number;
  caps: CompiledCap[];
  stopOnDismiss: boolean;
  stopOnAction: boolean;
  holdout: number;
  modal: boolean;
  pending: PendingTrigger | undefined;
}

interface PreparedCatalog {
  patterns: PreparedPatterns;
  /** Best first: priority, then id. */
  messages: Prepared[];
}

// Expressions are built once per catalog object, not on every evaluation.
const prepared = new WeakMap<CompiledCatalog, PreparedCatalog>();

function prepare(catalog: CompiledCatalog): PreparedCatalog {
  let ready = prepared.get(catalog);
  if (!ready) {
    if (!isCompiledCatalog(catalog)) throw new TypeError('evaluate: not a compiled catalog (v: 1); use compileCatalog');
    const patterns = preparePatterns(catalog.patterns);
    const messages = [...catalog.messages]
      .sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : 1))
      .map((message): Prepared => {
        const { id, audience, pages, screens, schedule, trigger = {}, frequency, holdout, layout } = message;
        const { delay, scrollPercent, exitIntent } = trigger;
        return {
          message,
          id,
          audience,
          pages: pages && prepareRules(pages, patterns),
          screens: screens && prepareRules(screens, patterns),
          start: schedule?.start ?? -Infinity,
          end: schedule?.end ?? Infinity,
          event: trigger.event,
          minPageViews: trigger.minPageViews ?? 0,
          maxShows: frequency.maxShows ?? Infinity,
          minInterval: frequency.minInterval ?? 0,
          caps: frequency.caps ?? [],
          stopOnDismiss: frequency.stopOnDismiss,
          stopOnAction: frequency.stopOnAction,
          holdout,
          modal: layout.type === 'modal',
          pending: delay || scrollPercent || exitIntent ? { delay, scrollPercent, exitIntent } : undefined,
        };
      });
    prepared.set(catalog, (ready = { patterns, messages }));
  }
  return ready;
}

/**
 * Decides which messages of a compiled catalog to show to this visitor now, best first, and gives every
 * other message one reason (see `SkipReason`) with a sentence. Pure: time comes in as `now` (epoch ms).
 */
export function evaluate(catalog: CompiledCatalog, context: EvaluateContext, ledger: Ledger, now: number, options: EvaluateOptions = {}): Evaluation {
  const { showing = [], maxModals = 1, minIntervalBetweenMessages = 0 } = options;
  const { patterns, messages } = prepare(catalog);
  const subject = createSubject(context.url, context.screen, patterns);
  const { start, views } = sessionAt(ledger, now, options);
  const session = context.session ?? { startedAt: start, pageViews: views };
  // Usually nothing is on screen: then this walk over the whole catalog is skipped.
  let modals = showing.length && messages.filter((item) => item.modal && showing.includes(item.id)).length;
  const sinceLast = now - Math.max(...Object.values(ledger.messages).map(({ s = [] }) => s[s.length - 1] ?? -Infinity));
  const show: Decision[] = [];
  const skipped: Skip[] = [];
  for (const item of messages) {
    const { message, pending } = item;
    const miss =
      whyNot(item, patterns, context, subject, session, ledger, now) ??
      (isHeldOut(context.visitorId, item.id, item.holdout)
        ? skip(item, 'holdout', `in the control group (holdout ${item.holdout})`)
        : showing.includes(item.id)
          ? skip(item, 'limit', 'already showing')
          : sinceLast < minIntervalBetweenMessages
            ? skip(item, 'limit', `a message was shown ${ago(sinceLast)} ago (minIntervalBetweenMessages)`)
            : item.modal && modals >= maxModals
              ? skip(item, 'limit', `${maxModals} modal(s) at a time at most (maxModals)`)
              : undefined);
    // Each caller gets its own copy of a pending trigger.
    if (miss) {
      if (pending && miss.reason === 'holdout') miss.trigger = { ...pending };
      skipped.push(miss);
    } else {
      if (item.modal) modals++;
      show.push(pending ? { message, trigger: { ...pending } } : { message });
    }
  }
  return { show, skipped };
}

function skip({ message }: Prepared, reason: SkipReason, detail: string): Skip {
  return { message, reason, detail };
}

// Written once: most skipped messages then allocate nothing but their skip.
const AUDIENCE_MISS: Record<Audience, string> = { anonymous: 'for anonymous visitors only', identified: 'for identified visitors only', everyone: '' };

/** The first rule that keeps a message from showing, in the order schedule, audience, place, trigger, ledger. */
function whyNot(item: Prepared, patterns: PreparedPatterns, context: EvaluateContext, subject: Subject, session: { startedAt: number; pageViews: number }, ledger: Ledger, now: number): Skip | undefined {
  const { audience, pages, screens, event: awaited } = item;
  const event = context.event;
  if (now < item.start) return skip(item, 'schedule', `starts at ${iso(item.start)}`);
  if (now >= item.end) return skip(item, 'schedule', `ended at ${iso(item.end)}`);
  if (audience !== 'everyone' && (audience === 'identified') !== context.identified) return skip(item, 'audience', AUDIENCE_MISS[audience]);
  // A message with page rules shows on matching pages, one with screen rules on matching screens ('': no such rules).
  if (pages || screens) {
    const pageMiss = pages ? (subject.address ? ruleMiss(pages, patterns, subject) : 'the context has no url') : '';
    const screenMiss = screens ? (subject.screen !== undefined ? ruleMiss(screens, patterns, subject) : 'the context has no screen') : '';
    if (pageMiss !== undefined && screenMiss !== undefined) {
      return pageMiss && (subject.address || !screenMiss) ? skip(item, 'page', pageMiss) : skip(item, 'screen', screenMiss!);
    }
  }
  if (awaited !== undefined ? event?.name !== awaited : event) {
    return skip(item, 'trigger', awaited !== undefined ? `waits for the event "${awaited}"` : `shows on views, not on the event "${event!.name}"`);
  }
  if (session.pageViews < item.minPageViews) return skip(item, 'trigger', `waits for page view ${item.minPageViews}; this is ${session.pageViews}`);
  const history = historyOf(ledger, item.id);
  if (!history) return undefined;
  const { s: shown = [], d: dismissed = [], a: acted = [] } = history;
  const sinceShown = now - (shown[shown.length - 1] ?? -Infinity);
  if (item.stopOnDismiss && dismissed.length) return skip(item, 'dismissed', `dismissed at ${iso(dismissed[dismissed.length - 1]!)} (stopOnDismiss)`);
  if (item.stopOnAction && acted.length) return skip(item, 'acted', `action taken at ${iso(acted[acted.length - 1]!)} (stopOnAction)`);
  if (shown.length >= item.maxShows) return skip(item, 'frequency:maxShows', `shown ${shown.length} of ${item.maxShows} times (maxShows)`);
  if (sinceShown < item.minInterval) return skip(item, 'frequency:minInterval', `shown ${ago(sinceShown)} ago (minInterval ${ago(item.minInterval)})`);
  for (const [i, { max, per }] of item.caps.entries()) {
    // A session counts shows from its start on; a window, those less than `per` ago.
    const count = shown.filter((at) => (per === 'session' ? at >= session.startedAt : at > now - per)).length;
    if (count >= max) return skip(item, 'frequency:cap', `shown ${count} of ${max} times ${per === 'session' ? 'this session' : `in ${ago(per)}`} (caps[${i}])`);
  }
  return undefined;
}

/** A duration for a sentence; never negative (a time from a clock that ran ahead counts as now). */
function ago(ms: number): string {
  return formatDuration(Math.max(0, ms));
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
