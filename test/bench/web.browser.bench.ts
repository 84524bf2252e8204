// @beckon/web in Chromium: from createBeckon with an inline compiled catalog to `beckon-shown` (the message on
// screen). That includes the tracker, the ledger in storage under the cross-tab lock, evaluate, the element's
// render and the browser's frame: `beckon-shown` waits for a frame that has the message in it (about half a
// frame on average at 60 Hz).
import { Bench } from 'tinybench';
import { compileCatalog, type Message } from '@beckon/rules';
import { createBeckon, type Beckon, type BeckonOptions } from '@beckon/web';
import { printBench } from './table.js';

const coupon: Message = {
  id: 'coupon',
  pages: { include: ['/'] },
  frequency: { maxShows: 3, minInterval: '1d' },
  layout: { type: 'modal' },
  content: {
    title: '10% off your first order',
    body: 'Create an account and the **code** is _yours_. See [the terms](/terms).',
    actions: [
      { id: 'signup', label: 'Create account', url: '/signup', style: 'primary' },
      { id: 'no', label: 'No thanks', dismiss: true },
    ],
  },
};
/** 99 messages for other pages beside the one that shows: a catalog of a real site's size. */
const others: Message[] = Array.from({ length: 99 }, (_, i) => ({
  ...coupon,
  id: `other-${i}`,
  pages: { include: [`/section-${i}/**`], exclude: ['/section-*/admin'] },
  layout: { type: i % 2 ? 'banner' : 'popup' },
}));

const one = compileCatalog([coupon]);
const hundred = compileCatalog([coupon, ...others]);

let beckon: Beckon | undefined;
const reset = () => {
  beckon?.destroy();
  beckon = undefined;
  document.querySelectorAll('beckon-message').forEach((el) => el.remove());
  localStorage.clear();
  document.cookie = 'beckon_anonymous_id=; Max-Age=0; Path=/';
};

/** Starts Beckon and waits for the message on screen. Each run gets its own copy of the catalog, as a new page load would. */
async function startUntilShown(options: BeckonOptions): Promise<void> {
  const shown = new Promise((resolve) => document.addEventListener('beckon-shown', resolve, { once: true }));
  beckon = createBeckon({ ...options, catalog: structuredClone(options.catalog) });
  await shown;
}

const bench = new Bench({ name: '@beckon/web in Chromium: createBeckon → beckon-shown (modal)', time: 4000, warmupTime: 500 });
bench.add('1 message, storage: memory', () => startUntilShown({ catalog: one, storage: 'memory' }), { afterEach: reset });
bench.add('1 message, default storage (cookie + localStorage, Web Lock)', () => startUntilShown({ catalog: one }), { afterEach: reset });
bench.add('100 messages, default storage', () => startUntilShown({ catalog: hundred }), { afterEach: reset });
await bench.run();
printBench(bench);

(globalThis as unknown as { __benchDone(): void }).__benchDone();
