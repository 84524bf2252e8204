// Putting a message on screen: with <beckon-message>, or through the host's own renderer (headless mode).
import { BeckonMessage, BeckonSlot } from '@beckon/elements';
import type { CompiledMessage, Message } from '@beckon/rules/runtime';
import type { Log } from './log.js';
import type { MessageControls, MessageHandler } from './types.js';

/** A message on screen, as Beckon holds it. */
export interface Presented {
  /** Takes the message away quietly: not a dismissal. */
  close(): void;
  /** False once the message is gone: closed, dismissed, removed with its slot, or failed to render. */
  alive(): boolean;
}

/** Registers Beckon's elements, unless something did already (another copy of them, the page itself). */
export function defineElements(): void {
  if (!customElements.get('beckon-message')) customElements.define('beckon-message', BeckonMessage);
  if (!customElements.get('beckon-slot')) customElements.define('beckon-slot', BeckonSlot);
}

/** Shows `message` with `<beckon-message>`: in `host` (inline), else in `<body>`; `controls` hear what the element reports. */
export function presentElement(message: CompiledMessage, host: Element | undefined, controls: MessageControls, log: Log): Presented {
  const el = document.createElement('beckon-message') as BeckonMessage;
  el.addEventListener('beckon-shown', () => controls.shown());
  el.addEventListener('beckon-action', ({ detail }) => controls.clicked(detail.actionId, detail.url));
  el.addEventListener('beckon-dismiss', ({ detail }) => {
    controls.dismissed(detail.via);
    el.remove();
  });
  const { id, layout, content } = message;
  el.message = { id, layout, content } satisfies Message;
  // A top banner that pushes the page down must come first in <body>; everything else can go last.
  const first = layout.type === 'banner' && layout.push && layout.position !== 'bottom';
  if (host) host.append(el);
  else if (first) document.body.prepend(el);
  else document.body.append(el);
  el.updateComplete.catch((error: unknown) => {
    log('render', `message "${id}" could not be rendered`, error);
    el.remove();
  });
  return { close: () => el.remove(), alive: () => el.isConnected && el.open };
}

/** Hands `message` to the host's `onMessage`; its return value is how Beckon takes it away again. */
export function presentHeadless(onMessage: MessageHandler, message: CompiledMessage, controls: MessageControls, log: Log): Presented {
  let open = true;
  const reported: MessageControls = {
    ...controls,
    dismissed(via) {
      if (!open) return;
      open = false;
      controls.dismissed(via);
    },
  };
  /** Runs the host's code; when it throws, the message is gone (it cannot be trusted to be on screen) and that is logged. */
  const attempt = <T>(task: () => T): T | undefined => {
    try {
      return task();
    } catch (error) {
      open = false;
      log('render', `onMessage failed for "${message.id}"`, error);
    }
  };
  const close = attempt(() => onMessage(message, reported));
  return {
    close() {
      if (!open) return;
      open = false;
      if (typeof close === 'function') attempt(close);
    },
    alive: () => open,
  };
}
