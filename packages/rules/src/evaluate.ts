// The decision: which compiled messages to show now, best first, and one reason for every other one.
import { isCompiledCatalog, type CompiledCatalog, type CompiledMessage } from './compiled.js';
import { formatDuration } from './duration.js';
import { holdoutBucket } from './holdout.js';
import type { Ledger, MessageHistory } from './ledger.js';
import { createSubject, preparePatterns, ruleMiss } from './match.js';
import { sessionAt } from './session.js';
import type { SkipReason, Variant } from './types.js';
import { assignVariant } from './variant.js';

/** What is known about this visitor and this moment. */
export interface EvaluateContext {
  /** The page: an absolute URL (`https://shop.example.com/pricing?plan=pro`) or a path (`/pricing`). */
  url?: string;
  /** The mobile screen name, for apps. */
  screen?: string;
  /** Whether the visitor is identified (signed up or logged in). */
  identified: boolean;
  /** The id holdout groups and variants are hashed from. Keep passing the anonymous id after identify so both stay stable. */
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
  /** The visitor's variant, for a message with variants: show its layout and content where it has them. */
  variant?: Variant;
  /** Present when the message waits for a delay, a scroll depth or exit intent: arm it, then show. */
  trigger?: PendingTrigger;
}

/**
 * A message not shown, and why. A skip for schedule, audience, page or screen is shared by the evaluations of
 * one catalog that reach the same verdict, and frozen: read it, keep it, but do not change it.
 */
export interface Skip {
  message: CompiledMessage;
  reason: SkipReason;
  /** The reason as a sentence, e.g. `shown 3 of 3 times (maxShows)`. */
  detail: string;
  /** For `holdout`: the trigger a shown message would have waited for, so the caller can record the holdout then. */
  trigger?: PendingTrigger;
  /** For `holdout`, in a message with variants: the variant the visitor would have seen. */
  variant?: Variant;
}

/** The result of `evaluate`: messages to show, best first (priority, then id), and every other one with its reason. */
export interface Evaluation {
  show: Decision[];
  skipped: Skip[];
}

/** `evaluate` for one catalog, with everything that does not change between evaluations made once. */
type Evaluator = (context: EvaluateContext, ledger: Ledger, now: number, options: EvaluateOptions) => Evaluation;

const evaluators = new WeakMap<CompiledCatalog, Evaluator>();

/**
 * Decides which messages of a compiled catalog to show to this visitor now, best first, and gives every
 * other message one reason (see `SkipReason`) with a sentence. Pure: time comes in as `now` (epoch ms).
 */
export function evaluate(catalog: CompiledCatalog, context: EvaluateContext, ledger: Ledger, now: number, options: EvaluateOptions = {}): Evaluation {
  let evaluator = evaluators.get(catalog);
  if (!evaluator) evaluators.set(catalog, (evaluator = prepare(catalog)));
  return evaluator(context, ledger, now, options);
}

/** Builds the catalog's expressions and the tables below once; the evaluator it returns reads them. */
function prepare(catalog: CompiledCatalog): Evaluator {
  if (!isCompiledCatalog(catalog)) throw new TypeError('evaluate: not a compiled catalog (v: 1); use compileCatalog');
  const patterns = preparePatterns(catalog.patterns);
  /** Per pattern, the positions of the messages whose rules name it. */
  const usedBy: number[][] = patterns.list.map(() => []);
  /** Best first: priority, then id. */
  const messages = [...catalog.messages].sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : 1));
  /** The messages with a schedule: position, start (inclusive) and end (exclusive). */
  const timed: Array<{ at: number; start: number; end: number }> = [];
  for (const [i, { pages, screens, schedule }] of messages.entries()) {
    for (const rules of [pages, screens]) for (const index of [...(rules?.include ?? []), ...(rules?.exclude ?? [])]) usedBy[index]!.push(i);
    if (schedule) timed.push({ at: i, start: schedule.start ?? -Infinity, end: schedule.end ?? Infinity });
  }
  const byId = new Map(messages.map(({ id }, i) => [id, i]));
  /**
   * For each kind of context (identified or not, with a url or not, with a screen or not), per message, its
   * verdict on schedule, audience and place: a frozen skip, or false when it passes. Made on first use.
   */
  const verdicts: Array<Array<Skip | false>> = [];

  return (context, ledger, now, options) => {
    const { showing = [], maxModals = 1, minIntervalBetweenMessages = 0 } = options;
    const subject = createSubject(context.url, context.screen, patterns);
    const { start, views } = sessionAt(ledger, now, options);
    const session = context.session ?? { startedAt: start, pageViews: views };
    const event = context.event;
    // The modals on screen count toward the limit; they are found by id, not by a walk over the catalog.
    let modals = showing.filter((id) => isModal(messages[byId.get(id) ?? -1], context.visitorId)).length;
    // The ledger is read once, its histories put by position (looking every message up by id was a tenth of
    // the time at 10,000 messages), and the last show of all is noted.
    const histories = new Array<MessageHistory | undefined>(messages.length);
    let lastShow = -Infinity;
    for (const id in ledger.messages) {
      const history = ledger.messages[id]!;
      const i = byId.get(id);
      if (i !== undefined) histories[i] = history;
      lastShow = Math.max(lastShow, history.s?.at(-1) ?? -Infinity);
    }
    // A show later than now (a clock that ran ahead, a tab's sub-millisecond fraction) counts as now: never negative.
    const sinceLast = now - Math.min(lastShow, now);

    // The first rule that keeps a message from showing, in the order schedule, audience, place (these three are
    // the message's verdict), then trigger, ledger, holdout and limits (why not now).
    function verdict(message: CompiledMessage): Skip | undefined {
      const { audience, pages, screens, schedule } = message;
      const start = schedule?.start ?? -Infinity;
      const end = schedule?.end ?? Infinity;
      if (now < start) return skip(message, 'schedule', `starts at ${iso(start)}`);
      if (now >= end) return skip(message, 'schedule', `ended at ${iso(end)}`);
      if (audience !== 'everyone' && (audience === 'identified') !== context.identified) return skip(message, 'audience', `for ${audience} visitors only`);
      // A message with page rules shows on matching pages, one with screen rules on matching screens ('': no such rules).
      if (pages || screens) {
        const pageMiss = pages ? (subject.address ? ruleMiss(pages, patterns, subject) : 'the context has no url') : '';
        const screenMiss = screens ? (context.screen !== undefined ? ruleMiss(screens, patterns, subject) : 'the context has no screen') : '';
        if (pageMiss !== undefined && screenMiss !== undefined) {
          return pageMiss && (subject.address || !screenMiss) ? skip(message, 'page', pageMiss) : skip(message, 'screen', screenMiss!);
        }
      }
    }

    function whyNotNow(message: CompiledMessage, history: MessageHistory | undefined): Skip | undefined {
      const { id, trigger, holdout } = message;
      const awaited = trigger?.event;
      if (awaited !== undefined ? event?.name !== awaited : event) {
        return skip(message, 'trigger', awaited !== undefined ? `waits for the event "${awaited}"` : `shows on views, not on the event "${event!.name}"`);
      }
      const minPageViews = trigger?.minPageViews ?? 0;
      if (session.pageViews < minPageViews) return skip(message, 'trigger', `waits for page view ${minPageViews}; this is ${session.pageViews}`);
      if (history) {
        const { s: shown = [], d: dismissed, a: acted } = history;
        const { maxShows = Infinity, minInterval = 0, caps = [], stopOnDismiss, stopOnAction } = message.frequency;
        const sinceShown = now - Math.min(shown.at(-1) ?? -Infinity, now);
        if (stopOnDismiss && dismissed?.length) return skip(message, 'dismissed', `dismissed at ${iso(dismissed.at(-1)!)} (stopOnDismiss)`);
        if (stopOnAction && acted?.length) return skip(message, 'acted', `action taken at ${iso(acted.at(-1)!)} (stopOnAction)`);
        if (shown.length >= maxShows) return skip(message, 'frequency:maxShows', `shown ${shown.length} of ${maxShows} times (maxShows)`);
        if (sinceShown < minInterval) return skip(message, 'frequency:minInterval', `shown ${formatDuration(sinceShown)} ago (minInterval ${formatDuration(minInterval)})`);
        for (const [i, { max, per }] of caps.entries()) {
          // A session counts shows from its start on; a window, those less than `per` ago.
          const count = shown.filter((at) => (per === 'session' ? at >= session.startedAt : at > now - per)).length;
          if (count >= max) return skip(message, 'frequency:cap', `shown ${count} of ${max} times ${per === 'session' ? 'this session' : `in ${formatDuration(per)}`} (caps[${i}])`);
        }
      }
      // Buckets lie in [0, 1): a holdout of 0 holds no one out, so the hash is skipped.
      // The caller records the holdout when a shown message would have appeared, so it gets the trigger too.
      if (holdout > 0 && holdoutBucket(context.visitorId, id) < holdout) {
        return withTrigger(skip(message, 'holdout', `in the control group (holdout ${holdout})`), message, context.visitorId);
      }
      const limit = showing.includes(id)
        ? 'already showing'
        : sinceLast < minIntervalBetweenMessages
          ? `a message was shown ${formatDuration(sinceLast)} ago (minIntervalBetweenMessages)`
          : isModal(message, context.visitorId) && modals >= maxModals
            ? `${maxModals} modal(s) at a time at most (maxModals)`
            : undefined;
      return limit ? skip(message, 'limit', limit) : undefined;
    }

    // Most messages of a large catalog miss on their audience, or on a page none of whose patterns can match.
    // Such a verdict stays the same for every context of its kind: it is made once, frozen and shared, so those
    // messages cost a byte and a slot each. Only messages the page may match, and those out of schedule, are read.
    const varies = new Uint8Array(messages.length);
    for (const index of subject.candidates) for (const i of usedBy[index]!) varies[i] = 1;
    // (Objects, not tuples: destructuring a tuple here allocated an iterator for each.)
    for (const { at, start, end } of timed) if (!(now >= start && now < end)) varies[at] = 1;
    const same = (verdicts[(context.identified ? 1 : 0) | (subject.address ? 2 : 0) | (context.screen !== undefined ? 4 : 0)] ??= new Array(messages.length));
    const show: Decision[] = [];
    const skipped: Skip[] = new Array(messages.length);
    let skips = 0;
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i]!;
      const miss = (varies[i] ? verdict(message) : (same[i] ??= share(verdict(message)))) || whyNotNow(message, histories[i]);
      if (miss) {
        skipped[skips++] = miss;
      } else {
        if (isModal(message, context.visitorId)) modals++;
        show.push(withTrigger<Decision>({ message }, message, context.visitorId));
      }
    }
    // Filled in place rather than pushed: at 10,000 messages, growing the array showed in the time.
    skipped.length = skips;
    return { show, skipped };
  };
}

/** The visitor's variant of a message, if it has variants. */
function variantOf({ id, variants }: CompiledMessage, visitorId: string): Variant | undefined {
  return variants && assignVariant(id, visitorId, variants);
}

/** Whether the message shows as a modal to this visitor (their variant's layout decides); false for no message. */
function isModal(message: CompiledMessage | undefined, visitorId: string): boolean {
  return !!message && (variantOf(message, visitorId)?.layout ?? message.layout).type === 'modal';
}

/** Adds what the message waits for before it shows (a new object for each caller), if anything, and the variant. */
function withTrigger<T extends { trigger?: PendingTrigger; variant?: Variant }>(result: T, message: CompiledMessage, visitorId: string): T {
  const { delay, scrollPercent, exitIntent } = message.trigger ?? {};
  if (delay || scrollPercent || exitIntent) result.trigger = { delay, scrollPercent, exitIntent };
  const variant = variantOf(message, visitorId);
  if (variant) result.variant = variant;
  return result;
}

function skip(message: CompiledMessage, reason: SkipReason, detail: string): Skip {
  return { message, reason, detail };
}

/**
 * A verdict to keep for a kind of context: a frozen copy of the skip, or false when the message passed. A copy,
 * made here, because skips kept for good must not come from `skip`: V8 would learn there that skips live long,
 * make every skip in the old generation, and each sentence one points to would then outlive many minor
 * collections (at 10,000 messages, five times the work per collection and a full one every second).
 */
function share(skip: Skip | undefined): Skip | false {
  return !!skip && Object.freeze({ ...skip });
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
