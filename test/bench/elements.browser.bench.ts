// @beckon/elements in Chromium: how long from setting `message` until the message is on screen.
// `beckon-shown` fires once the browser has rendered a frame with the message in it, so the wait
// depends on when in the frame `message` is set: at a random moment (as triggers arrive in real
// pages) it averages half a frame; right after a frame was drawn it is a whole one.
import { Bench } from 'tinybench';
import '@beckon/elements/define';
import type { BeckonMessage } from '@beckon/elements';
import type { Message } from '@beckon/rules';
import { printBench } from './table.js';

const content: Message['content'] = {
  title: '10% off your first order',
  body: 'Create an account and the **code** is _yours_. See [the terms](/terms).',
  actions: [
    { id: 'signup', label: 'Create account', url: '/signup', style: 'primary' },
    { id: 'no', label: 'No thanks', dismiss: true },
  ],
};
const modal: Message = { id: 'bench', layout: { type: 'modal' }, content };

let el: BeckonMessage;
const fresh = () => {
  el = document.createElement('beckon-message');
  document.body.append(el);
};
const remove = () => el.remove();
const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function showModal(): Promise<void> {
  const shown = new Promise((resolve) => el.addEventListener('beckon-shown', resolve, { once: true }));
  el.message = modal;
  await shown;
}

const bench = new Bench({ name: '@beckon/elements in Chromium: set message → beckon-shown', time: 3000, warmupTime: 300 });
bench.add('modal, set at a random moment in the frame', showModal, {
  beforeEach: async () => {
    fresh();
    await frame();
    await later(Math.random() * 16);
  },
  afterEach: remove,
});
bench.add('modal, set right after a frame (worst case)', showModal, {
  beforeEach: async () => {
    fresh();
    await frame();
    await later(0);
  },
  afterEach: remove,
});
await bench.run();
printBench(bench);

// What the element itself costs: from setting `message` to the DOM being rendered, no frame wait.
const render = new Bench({ name: '@beckon/elements in Chromium: set message → rendered (updateComplete)', time: 1000 });
for (const layout of [{ type: 'modal' }, { type: 'banner' }, { type: 'popup' }, { type: 'inline' }] as const) {
  render.add(layout.type, async () => {
    el.message = { id: 'bench', layout, content };
    await el.updateComplete;
  }, { beforeEach: fresh, afterEach: remove });
}
render.add('modal with a 5,000-character body', async () => {
  el.message = { id: 'bench', layout: { type: 'modal' }, content: { ...content, body: 'Some **bold** and _em_ words. '.repeat(170) } };
  await el.updateComplete;
}, { beforeEach: fresh, afterEach: remove });
await render.run();
printBench(render);

(globalThis as unknown as { __benchDone(): void }).__benchDone();
