// The engine: views and events in, decisions out, messages handed to the host's renderer, and what the visitor did
// recorded in the shared ledger and sent through the tracker. No DOM: the host passes in the clock, storage, the
// renderer and where the visitor is. Every entry point is guarded: Beckon never breaks its host.
import {
  addRecord,
  evaluate,
  historyOf,
  recordPageView,
  type CompiledMessage,
  type EvaluateContext,
  type Ledger,
  type LedgerRecord,
  type PendingTrigger,
  type SkipReason,
  type Variant,
} from '@beckon/rules/runtime';
import { MESSAGE_EVENTS, forgetStores } from '@beckon/tracking';
import { explainEvaluation } from './explain.js';
import { createLedgerStore } from './ledger-store.js';
import { createLog } from './log.js';
import { delayTrigger } from './triggers.js';
import type { Engine, EngineOptions, LoadedCatalog, MessageControls, Place, Presented } from './types.js';

/** Where and when a decision is made: the page, the app screen if one was named, and the tracked event if any. */
type Moment = Pick<EvaluateContext, 'url' | 'screen' | 'event'>;

/** A message on screen, as Beckon holds it. */
interface Showing extends Presented {
  /** When it was put on screen: a dismissal recorded later, in another tab, closes it here. */
  since: number;
  /** This tab recorded an action or dismissal for it (so such a record is not news from another tab). */
  handled?: boolean;
}

/** Reasons that mean a message on screen no longer belongs there after a navigation or identify. */
const WITHDRAW: SkipReason[] = ['audience', 'page', 'screen', 'schedule'];

/** The message as this visitor sees it: their variant's layout and content, where it has them. */
const asShown = (message: CompiledMessage, variant?: Variant): CompiledMessage =>
  variant ? { ...message, layout: variant.layout ?? message.layout, content: variant.content ?? message.content } : message;

/** The `variant_id` property of a message event, for a message with variants. */
const variantOf = (variant?: Variant) => (variant ? { variant_id: variant.id } : {});

/**
 * Starts the engine: nothing is decided before the first `page` or `screen`. Never throws once started; see
 * `EngineOptions` for what the host provides.
 */
export function createEngine(options: EngineOptions): Engine {
  const { tracker, renderer, now, limits = {}, log = createLog(), whenTriggered = delayTrigger } = options;
  // evaluate's and recordPageView's options: the limits, with the session timeout under the name they read.
  const evaluateOptions = { ...limits, sessionTimeoutMs: limits.sessionTimeout };
  let catalog: LoadedCatalog | undefined;
  const { forget = () => forgetStores([options.ledger?.store]) } = options;
  const ledger = createLedgerStore(options.ledger ?? {}, tracker.userId ?? '', now, log, () => catalog?.compiled, () => tracker.consent() === 'granted');
  // Sub-millisecond identity of this tab's records, so two tabs' shows in one millisecond stay two.
  const tab = options.random().toString(36).slice(2, 6);
  const showing = new Map<string, Showing>();
  /** Keys of what waits for a trigger in this view (`held:` + id for the held-out), so nothing is armed twice. */
  let armed = new Set<string>();
  let view = new AbortController();
  /** Whether the renderer was told to get ready in this view. */
  let prepared = false;
  let place: Place = {};
  let viewed = false;
  let destroyed = false;
  /** Aborted by `destroy`: every listener Beckon added to its host goes with it. */
  const life = new AbortController();

  /** Runs `task`, logging (once per kind) instead of throwing. */
  const guard = <T>(kind: string, task: () => T): T | undefined => {
    try {
      return destroyed ? undefined : task();
    } catch (error) {
      // The same fault met by several calls is one warning.
      log(String(error), `${kind} failed`, error);
    }
  };

  /** Evaluates the catalog at `moment` by `state`, with the messages on screen (except `except`) counted as showing. */
  const decideAt = (moment: Moment, state = ledger.current(), except?: string, identified = tracker.userId !== undefined) => {
    for (const [id, entry] of showing) if (!entry.alive()) showing.delete(id);
    // The anonymous id survives identify (same user), so holdout groups stay stable.
    return evaluate(catalog!.compiled, { ...moment, identified, visitorId: tracker.anonymousId }, state, now(), { ...evaluateOptions, showing: [...showing.keys()].filter((id) => id !== except) });
  };

  /** Whether `message` may show at `moment` by `state`: the first decision's rules, with the ledger as it is now. */
  const allowed = (message: CompiledMessage, moment: Moment, state?: Ledger) => decideAt(moment, state, message.id).show.some((d) => d.message.id === message.id);

  /**
   * The time a record is taken at. `record` adds this tab's sub-millisecond fraction to it, so taken at `now()` a
   * show would lie up to a millisecond in the future, and a decision in that same millisecond would see it there
   * (negative time since the last show). One millisecond back, every record is in the past of every later decision.
   */
  const recordTime = () => now() - 1;

  const mark = (messageId: string, type: LedgerRecord['type'], state: Ledger) => addRecord(state, { messageId, type, at: recordTime(), tab });

  const withdraw = (id: string) => {
    showing.get(id)?.close();
    showing.delete(id);
  };

  /** Closes, without a dismissal, the messages on screen that no longer belong here (another page, identified). */
  const withdrawIneligible = () => {
    if (catalog && showing.size) for (const { message, reason } of decideAt(place).skipped) if (showing.has(message.id) && WITHDRAW.includes(reason)) withdraw(message.id);
  };

  /**
   * Puts a message (as shown: its variant's layout and content) on screen; `counted` when its show is in the ledger
   * already (overlays), else it is counted when seen. Its events name the variant.
   */
  const present = (message: CompiledMessage, moment: Moment, counted: boolean, variant?: Variant, target?: unknown) => {
    const { id, layout } = message;
    const sendShown = () => tracker.track(MESSAGE_EVENTS.shown, { message_id: id, ...variantOf(variant), layout: layout.type });
    const handled = (type: LedgerRecord['type'], event: string, properties: Record<string, unknown>) => {
      const entry = showing.get(id);
      if (entry) entry.handled = true;
      if (type === 'dismissed') showing.delete(id);
      ledger.update((state) => mark(id, type, state));
      tracker.track(event, { message_id: id, ...variantOf(variant), ...properties });
    };
    let seen = false;
    const controls: MessageControls = {
      shown: () =>
        guard('shown', () => {
          if (seen) return;
          seen = true;
          if (counted) return void sendShown();
          // Seen before it was counted (inline, headless): count it now, unless another tab took the last show.
          void ledger.transact((state) => {
            // (destroy withdrew every message: one that is no longer showing counts no more.)
            if (!showing.get(id)?.alive()) return undefined;
            if (!allowed(message, moment, state)) return void withdraw(id);
            sendShown();
            return mark(id, 'shown', state);
          });
        }),
      clicked: (actionId, url) => guard('clicked', () => handled('action', MESSAGE_EVENTS.clicked, { action_id: String(actionId), url: url ?? null })),
      dismissed: (via = 'api') => guard('dismissed', () => handled('dismissed', MESSAGE_EVENTS.dismissed, { via: String(via) })),
    };
    const presented = renderer.present(message, controls, target);
    // On the records' clock: another tab's dismissal from now on is at or after it.
    if (presented.alive()) showing.set(id, { ...presented, since: recordTime() });
  };

  /** Shows a message whose trigger fired, if it is still allowed; `signal` ends with the view it was decided in. */
  const show = (message: CompiledMessage, moment: Moment, signal: AbortSignal, variant?: Variant) => {
    const { id } = message;
    if (renderer.countsWhenSeen(message)) {
      // Counted once seen: an inline card far down the page, a headless host's own timing.
      if (!allowed(message, moment)) return;
      return renderer.whenReady(message, signal, (target) => guard('render', () => showing.has(id) || present(message, moment, false, variant, target)));
    }
    // Overlays are counted as they go on screen, under the cross-tab lock, once the renderer is ready (a visible tab).
    renderer.whenReady(message, signal, () =>
      ledger.transact((state) => {
        // (destroy aborts the view's signal too.)
        if (signal.aborted || showing.has(id) || !allowed(message, moment, state)) return undefined;
        guard('render', () => present(message, moment, true, variant));
        return showing.has(id) ? mark(id, 'shown', state) : undefined;
      }),
    );
  };

  /** Waits for `trigger` in this view, then runs `fire` (once per `key` and view). */
  const arm = (key: string, trigger: PendingTrigger | undefined, fire: () => void) => {
    if (armed.has(key) || showing.has(key)) return;
    armed.add(key);
    const done = () => {
      armed.delete(key);
      guard('trigger', fire);
    };
    if (trigger) whenTriggered(trigger, view.signal, done);
    else done();
  };

  /** Evaluates here (on `event`, if any) and arms each winner; records held-out visitors. */
  const decide = (event?: Moment['event']) => {
    // Nothing shows before the first page view (or screen view).
    if (!catalog || !viewed) return;
    const moment = { ...place, event };
    const signal = view.signal;
    const { show: winners, skipped } = decideAt(moment);
    if (options.debug) console.info(`[beckon] ${moment.screen ?? moment.url}${event ? ` on ${event.name}` : ''}:`, winners.map((d) => d.message.id));
    // Messages that will show, or may on an event of this view: the renderer gets ready before their trigger fires.
    const coming = [...winners, ...skipped.filter((s) => s.reason === 'trigger' && s.message.trigger?.event !== undefined)];
    if (coming.length && !prepared && renderer.prepare) {
      prepared = true;
      guard('prepare', () => renderer.prepare!(coming.map((d) => asShown(d.message, d.variant))));
    }
    for (const { message, trigger, variant } of winners) arm(message.id, trigger, () => show(asShown(message, variant), moment, signal, variant));
    for (const { message, reason, trigger, variant } of skipped) {
      if (reason !== 'holdout') continue;
      // Once per session and message is enough to compare the control group's conversions.
      arm(`held:${message.id}`, trigger, () => ledger.markHeldOut(message.id) && tracker.track(MESSAGE_EVENTS.heldOut, { message_id: message.id, ...variantOf(variant) }));
    }
  };

  /**
   * Starts over for a new view or identity: the ledger is the one of the person now signed in (identify here or in
   * another tab may have changed that), what was armed is cancelled, and the decision is made again.
   */
  const redecide = () => {
    ledger.setOwner(tracker.userId ?? '');
    view.abort();
    view = new AbortController();
    armed = new Set();
    prepared = false;
    withdrawIneligible();
    decide();
  };

  const pageView = (next: Place, send: () => unknown) => {
    viewed = true;
    place = next;
    send();
    ledger.update((state) => recordPageView(state, now(), evaluateOptions));
    redecide();
  };

  ledger.watch(life.signal, () =>
    guard('storage', () => {
      // Dismissed or acted on in another tab: close it here too.
      for (const [id, entry] of showing) {
        const { d = [], a = [] } = historyOf(ledger.current(), id) ?? {};
        if (!entry.handled && [...d, ...a].some((at) => at >= entry.since)) withdraw(id);
      }
    }),
  );

  // An identify, here or in another tab: anonymous-only messages close at once, the ledger follows the person.
  // (onIdentify returns its unsubscribe, which destroy's abort calls.)
  life.signal.addEventListener('abort', tracker.onIdentify(() => guard('identify', redecide)));

  if (tracker.consent() === 'denied') forget();

  const ready = Promise.resolve(options.catalog).then((loaded) => {
    catalog = loaded;
    guard('decide', redecide);
  });

  return {
    ready,
    get anonymousId() {
      return tracker.anonymousId;
    },
    get userId() {
      return tracker.userId;
    },
    page: (name, properties) => guard('page', () => pageView({ url: options.url?.() }, () => tracker.page(name, properties))),
    screen: (name, properties) => guard('screen', () => pageView({ url: options.url?.(), screen: name }, () => tracker.screen(name, properties))),
    track: (event, properties) => guard('track', () => tracker.track(event, properties) && decide({ name: event, properties })),
    identify: (userId, traits) => guard('identify', () => void tracker.identify(userId, traits)),
    reset: () =>
      guard('reset', () => {
        tracker.reset();
        ledger.setOwner('', true);
        redecide();
      }),
    explain: (url, { identified, screen, event } = {}) =>
      guard('explain', () => {
        if (!catalog) return [];
        // A relative URL is one of the current site's pages.
        const base = options.url?.();
        const moment: Moment = { url: url === undefined ? place.url : base ? new URL(url, base).href : url, screen: screen ?? (url === undefined ? place.screen : undefined), event: event === undefined ? undefined : { name: event } };
        const rows = explainEvaluation(decideAt(moment, undefined, undefined, identified), catalog.invalid);
        if (options.debug) console.table(rows, ['id', 'show', 'reason', 'detail']);
        return rows;
      }) ?? [],
    consent: (state) =>
      guard('consent', () => {
        const before = tracker.consent();
        const now = tracker.consent(state);
        // Granted: the history kept in memory joins what storage holds. Denied: the host forgets what Beckon kept.
        if (now === before) return now;
        if (now === 'granted') ledger.update((same) => same);
        if (now === 'denied') forget();
        return now;
      }) ?? tracker.consent(),
    flush: async () => {
      // The tracker's flush is async: what fails in it arrives as a rejection.
      if (!destroyed) await tracker.flush().catch((error: unknown) => log('flush', 'flush failed', error));
    },
    destroy: () =>
      guard('destroy', () => {
        view.abort();
        for (const id of [...showing.keys()]) withdraw(id);
        life.abort();
        void tracker.flush().finally(() => tracker.close());
        destroyed = true;
      }),
  };
}
