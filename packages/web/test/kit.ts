// Helpers for the SDK's Chromium tests: catalogs, a Beckon whose events are collected, and waiting.
import type { BeckonMessage } from '@beckon/elements';
import { compileCatalog, type CompiledCatalog, type Ledger, type Message } from '@beckon/rules';
import { callbackDestination, type BeckonEvent } from '@beckon/tracking';
import { startBeckon } from '../src/shell.js';
import { LEDGER_KEY } from '@beckon/engine';
import type { Beckon, BeckonOptions } from '../src/types.js';

/** The test page's own address, put back after each test. */
export const START_URL = location.href;

/** A message for every page: a modal unless `over` says otherwise. */
export function message(id: string, over: Partial<Message> = {}): Message {
  return { id, layout: { type: 'modal' }, content: { title: `Title of ${id}`, body: 'Body.', actions: [{ id: 'ok', label: 'OK' }] }, ...over };
}

/** A compiled catalog of `messages`. */
export function catalogOf(...messages: Message[]): CompiledCatalog {
  return compileCatalog(messages);
}

/** A Beckon under test, with every event it sent. */
export interface Started {
  beckon: Beckon;
  events: BeckonEvent[];
  /** The `event` names of the track events sent, e.g. `Message Shown`, in order. */
  tracked(): string[];
}

const running: Beckon[] = [];
/** What tests changed on the page (console.info, MutationObserver), put back by `cleanup`. */
const restorers: Array<() => void> = [];

/** Starts Beckon (local storage by default) with its events collected; stopped by `cleanup`. */
export function start(options: BeckonOptions, now?: () => number): Started {
  const events: BeckonEvent[] = [];
  const beckon = startBeckon(
    { storage: 'local', ...options },
    {
      loadCompiler: () => import('../src/compiler.js'),
      loadElements: () => import('../src/elements.js'),
      now,
      tracker: { destinations: [callbackDestination('test', (event) => void events.push(event))] },
    },
  );
  running.push(beckon);
  return { beckon, events, tracked: () => events.flatMap((e) => (e.type === 'track' ? [e.event] : [])) };
}

/** Stops every Beckon, then puts the page back: URL, storage, cookies, elements. */
export function cleanup(): void {
  for (const beckon of running.splice(0)) beckon.destroy();
  for (const restore of restorers.splice(0).reverse()) restore();
  history.replaceState(null, '', START_URL);
  localStorage.clear();
  sessionStorage.clear();
  for (const name of ['beckon_anonymous_id', 'beckon_user_id']) document.cookie = `${name}=; Max-Age=0; Path=/`;
  for (const el of document.querySelectorAll('beckon-message, beckon-slot, .fixture')) el.remove();
}

/** Ids of the messages open on the page. */
export function onScreen(): string[] {
  return [...document.querySelectorAll<BeckonMessage>('beckon-message')].filter((el) => el.open).map((el) => el.message!.id);
}

/** The element showing message `id`. */
export function elementOf(id: string) {
  const el = [...document.querySelectorAll<BeckonMessage>('beckon-message')].find((e) => e.message?.id === id && e.open);
  if (!el) throw new Error(`message "${id}" is not on the page`);
  return el;
}

/** Resolves once `condition` holds (checked every few ms), or rejects after `timeout` ms with `what`. */
export async function until(condition: () => unknown, what: string, timeout = 3000): Promise<void> {
  const end = performance.now() + timeout;
  while (!condition()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Two animation frames: long enough for a decided message to render and report itself shown. */
export const frames = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

/** Resolves once every ledger write already asked for has been made (they queue on the cross-tab lock). */
export async function settled(): Promise<void> {
  await navigator.locks.request(LEDGER_KEY, () => undefined);
}

/** The stored ledger (as `{ owner, since, ledger, held }`); call `settled()` first to see the latest writes. */
export function storedLedger(): { owner: string; since: number; ledger: Ledger; held: Record<string, number> } {
  return JSON.parse(localStorage.getItem(LEDGER_KEY) ?? 'null');
}

/** Captures console.warn lines while `run` runs (and until the returned promise settles). */
export async function captureWarnings(run: () => Promise<void> | void): Promise<string[]> {
  const lines: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  try {
    await run();
  } finally {
    console.warn = original;
  }
  return lines;
}

/** A decision Beckon made: where, and the ids of the messages it chose to show (or arm) there. */
export interface Decision {
  where: string;
  show: string[];
}

/**
 * Every decision of a Beckon started with `debug: true`, in order (read from, and kept out of, the console until
 * `cleanup`). Deciding is synchronous: right after `page()` or `track()`, the last decision says whether anything will
 * show, so a test asserts that nothing does without waiting for a while.
 */
export function watchDecisions(): Decision[] {
  const decisions: Decision[] = [];
  const original = console.info;
  console.info = (first?: unknown, ...rest: unknown[]) => {
    const where = typeof first === 'string' ? /^\[beckon\] (.*):$/.exec(first)?.[1] : undefined;
    if (where !== undefined && Array.isArray(rest[0])) decisions.push({ where, show: rest[0] as string[] });
    else original(first, ...rest);
  };
  restorers.push(() => (console.info = original));
  return decisions;
}

/** How many MutationObservers are observing the DOM now (counted from this call until `cleanup`). */
export function domWatchers(): () => number {
  const { observe, disconnect } = MutationObserver.prototype;
  const watching = new Set<MutationObserver>();
  MutationObserver.prototype.observe = function (this: MutationObserver, ...args: Parameters<MutationObserver['observe']>) {
    watching.add(this);
    return observe.apply(this, args);
  };
  MutationObserver.prototype.disconnect = function (this: MutationObserver) {
    watching.delete(this);
    return disconnect.apply(this);
  };
  restorers.push(() => Object.assign(MutationObserver.prototype, { observe, disconnect }));
  return () => watching.size;
}
