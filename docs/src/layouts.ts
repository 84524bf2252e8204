// The layouts page: renders each JSON example above a `.live[data-message]` box with the real
// <beckon-message>, logs the events it fires, and applies the theming example's CSS as written.
import '@beckon/elements/define';
import type { Message } from '@beckon/rules';
import { previousCode } from './lib/dom.js';

const log = document.querySelector<HTMLOutputElement>('#event-log');
const seen: string[] = [];

function logEvent(event: Event): void {
  const { type } = event;
  const detail = (event as CustomEvent<Record<string, unknown>>).detail;
  seen.unshift(`${type} ${JSON.stringify(detail)}`);
  if (log) log.textContent = seen.slice(0, 3).join('\n');
  // The examples' actions would leave for the demo store; keep the reader on the page.
  if (type === 'beckon-action') event.preventDefault();
}
for (const type of ['beckon-shown', 'beckon-action', 'beckon-dismiss']) document.addEventListener(type, logEvent);

/** Shows `message` once: overlays go to the end of <body>, inline ones into `box`. */
function render(message: Message, box: HTMLElement): HTMLElement {
  const el = document.createElement('beckon-message');
  el.message = message;
  if (message.layout.type === 'inline') box.append(el);
  else document.body.append(el);
  return el;
}

for (const box of document.querySelectorAll<HTMLElement>('.live[data-message]')) {
  const source = previousCode(box, 'language-json');
  if (!source) continue;
  const message = JSON.parse(source.textContent ?? '') as Message;
  if (message.layout.type === 'inline') {
    const slot = document.createElement('beckon-slot');
    slot.name = box.dataset['slot'] ?? '';
    box.append(slot);
    render(message, slot);
    continue;
  }
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = `Show the ${message.layout.type}`;
  let current: HTMLElement | undefined;
  button.addEventListener('click', () => {
    current?.remove();
    current = render(message, box);
  });
  box.append(button);
}

// The theming example is applied exactly as the page shows it.
const css = document.querySelector('#theme-css code')?.textContent;
if (css) {
  const style = document.createElement('style');
  style.textContent = css;
  document.head.append(style);
}
