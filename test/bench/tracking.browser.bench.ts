// @beckon/tracking in Chromium: track() and page() with real storage — the cookie and localStorage
// identity, and each event written to localStorage until acknowledged — and a transport that
// answers at once (the network is not what is measured).
import { Bench } from 'tinybench';
import { createTracker, MESSAGE_EVENTS, type StorageMode } from '@beckon/tracking';
import { printBench } from './table.js';

const answer = { status: 200, headers: { get: () => null } } as unknown as Response;
const bench = new Bench({ name: '@beckon/tracking in Chromium: recording events', time: 1000, warmupTime: 200 });
for (const storage of ['cookie+local', 'memory'] as StorageMode[]) {
  const tracker = createTracker({ endpoint: location.origin, storage, fetch: async () => answer });
  bench.add(`track("Message Shown", { message_id, layout }), storage '${storage}'`, () => {
    tracker.track(MESSAGE_EVENTS.shown, { message_id: 'first-order-coupon', layout: 'modal' });
  });
  bench.add(`page(), storage '${storage}'`, () => {
    tracker.page();
  });
}
await bench.run();
printBench(bench);
(globalThis as unknown as { __benchDone(): void }).__benchDone();
