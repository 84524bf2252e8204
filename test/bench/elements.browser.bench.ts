import { Bench } from 'tinybench';
import '@beckon/elements/define';
import { printBench } from './table.js';

const bench = new Bench({ name: '@beckon/elements in Chromium', time: 500 });
bench.add('create <beckon-message>, render, remove', async () => {
  const el = document.createElement('beckon-message');
  el.heading = 'Hello';
  document.body.append(el);
  await el.updateComplete;
  el.remove();
});
await bench.run();
printBench(bench);
(globalThis as unknown as { __benchDone(): void }).__benchDone();
