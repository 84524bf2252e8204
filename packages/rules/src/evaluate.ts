// The decision: which compiled messages to show now, best first, and one reason for every other one.
import { isCompiledCatalog, type CompiledCatalog, type CompiledMessage } from './compiled.js';
import { formatDuration } from './duration.js';
import { isHeldOut } from './holdout.js';
import { historyOf, type Ledger } from './ledger.js';
import { createSubject, preparePatterns, ruleMiss, type PreparedPattern, type Subject } from './match.js';
import { currentSession } from './session.js';
import type { SkipReason } from './types.js';

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

/** A compiled catalog with its expressions built and its messages best first. */
interface PreparedCatalog {
  patterns: PreparedPattern[];
  messages: CompiledMessage[];
}

// Expressions are built once per catalog object, not on every evaluation.
const prepared = new WeakMap<CompiledCatalog, PreparedCatalog>();

function prepare(catalog: CompiledCatalog): PreparedCatalog {
  let ready = prepared.get(catalog);
  if (!ready) {
    if (!isCompiledCatalog(catalog)) throw new TypeError('evaluate: expected a compiled catalog (v: 1), the output of compileCatalog.');
    const messages = [...catalog.messages].sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : 1));
    prepared.set(catalog, (ready = { patterns: preparePatterns(catalog.patterns), messages }));
  }
  return ready;
}

const isModal = (message: CompiledMessage | undefined) => message?.layout.type === 'modal';

/**
 * Decides which messages of a compiled catalog to show to this visitor now, best first, and gives every
 * other message one reason (see `SkipReason`) with a sentence. Pure: time comes in as `now` (epoch ms).
 */
export function evaluate(catalog: CompiledCatalog, context: EvaluateContext, ledger: Ledger, now: number, options: EvaluateOptions = {}): Evaluation {
  const { showing = [], maxModals = 1, maxMessages = Infinity, minIntervalBetweenMessages = 0 } = options;
  const subject = createSubject(context.url, context.screen);
  const current = currentSession(ledger, now, options);
  const session = context.session ?? { startedAt: current?.start ?? now, pageViews: current?.views ?? 0 };
  let modals = showing.filter((id) => isModal(catalog.messages.find((m) => m.id === id))).length;
  const sinceLast = now - Math.max(...Object.values(ledger.messages).map(({ s = [] }) => s[s.length - 1] ?? -Infinity));
  const show: Decision[] = [];
  const skipped: Skip[] = [];

  const { patterns, messages } = prepare(catalog);
  for (const message of messages) {
    const { delay, scrollPercent, exitIntent } = message.trigger ?? {};
    const trigger = delay || scrollPercent || exitIntent ? { delay, scrollPercent, exitIntent } : undefined;
    const [reason, detail] =
      whyNot(message, patterns, context, subject, session, ledger, now) ??
      (isHeldOut(context.visitorId, message.id, message.holdout)
        ? ['holdout', `in the control group (holdout ${message.holdout})`]
        : showing.includes(message.id)
          ? ['limit', 'already showing']
          : sinceLast < minIntervalBetweenMessages
            ? ['limit', `a message was shown ${ago(sinceLast)} ago (minIntervalBetweenMessages)`]
            : isModal(message) && modals >= maxModals
              ? ['limit', `${maxModals} modal(s) at a time at most (maxModals)`]
              : show.length >= maxMessages
                ? ['limit', `${maxMessages} message(s) at a time at most (maxMessages)`]
                : []);
    if (!reason) {
      if (isModal(message)) modals++;
      show.push(trigger ? { message, trigger } : { message });
    } else {
      skipped.push(trigger && reason === 'holdout' ? { message, reason, detail: detail!, trigger } : { message, reason, detail: detail! });
    }
  }
  return { show, skipped };
}

type Miss = [reason: SkipReason, detail: string];

/** The first rule that keeps a message from showing, in the order schedule, audience, place, trigger, ledger. */
function whyNot(message: CompiledMessage, patterns: PreparedPattern[], context: EvaluateContext, subject: Subject, session: { startedAt: number; pageViews: number }, ledger: Ledger, now: number): Miss | undefined {
  const { schedule, audience, trigger, frequency, pages, screens } = message;
  const event = context.event;
  if (now < (schedule?.start ?? -Infinity)) return ['schedule', `starts at ${iso(schedule!.start!)}`];
  if (now >= (schedule?.end ?? Infinity)) return ['schedule', `ended at ${iso(schedule!.end!)}`];
  if (audience !== 'everyone' && (audience === 'identified') !== context.identified) return ['audience', `for ${audience} visitors only`];
  // A message with page rules shows on matching pages, one with screen rules on matching screens ('': no such rules).
  if (pages || screens) {
    const pageMiss = pages ? (subject.address ? ruleMiss(pages, patterns, subject) : 'no url in the context') : '';
    const screenMiss = screens ? (subject.screen !== undefined ? ruleMiss(screens, patterns, subject) : 'no screen in the context') : '';
    if (pageMiss !== undefined && screenMiss !== undefined) {
      return pageMiss && (subject.address || !screenMiss) ? ['page', `${pageMiss} (page ${subject.address?.path})`] : ['screen', `${screenMiss} (screen ${subject.screen})`];
    }
  }
  if (trigger?.event !== undefined ? event?.name !== trigger.event : event) {
    return ['trigger', trigger?.event !== undefined ? `waits for the event "${trigger.event}"` : `shows on views, not on the event "${event!.name}"`];
  }
  if (session.pageViews < (trigger?.minPageViews ?? 0)) return ['trigger', `waits for page view ${trigger!.minPageViews}; this is ${session.pageViews}`];
  const { s: shown = [], d: dismissed = [], a: acted = [] } = historyOf(ledger, message.id) ?? {};
  const sinceShown = now - (shown[shown.length - 1] ?? -Infinity);
  if (frequency.stopOnDismiss && dismissed.length) return ['dismissed', `dismissed at ${iso(dismissed[dismissed.length - 1]!)} (stopOnDismiss)`];
  if (frequency.stopOnAction && acted.length) return ['acted', `action taken at ${iso(acted[acted.length - 1]!)} (stopOnAction)`];
  if (shown.length >= (frequency.maxShows ?? Infinity)) return ['frequency:maxShows', `shown ${shown.length} of ${frequency.maxShows} times (maxShows)`];
  if (sinceShown < (frequency.minInterval ?? 0)) return ['frequency:minInterval', `shown ${ago(sinceShown)} ago (minInterval ${ago(frequency.minInterval!)})`];
  for (const [i, { max, per }] of (frequency.caps ?? []).entries()) {
    // A session counts shows from its start on; a window, those less than `per` ago.
    const count = shown.filter((at) => (per === 'session' ? at >= session.startedAt : at > now - per)).length;
    if (count >= max) return ['frequency:cap', `shown ${count} of ${max} times ${per === 'session' ? 'this session' : `in ${ago(per)}`} (caps[${i}])`];
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
