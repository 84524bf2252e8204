// Putting a message on screen with <beckon-message>: overlays once <body> exists and the tab is visible, inline cards in their slot.
import type { Log, MessageControls, Presented, Renderer } from '@beckon/engine';
import { BeckonMessage, BeckonSlot } from '@beckon/elements';
import type { CompiledMessage, Message } from '@beckon/rules/runtime';
import { whenHostAppears } from './slot-watcher.js';
import { whenBodyExists, whenVisible } from './triggers.js';

/** The renderer of the page: an inline card counts once seen in its slot, an overlay as it goes on screen. */
export function elementRenderer(log: Log): Renderer<Element> {
  return {
    countsWhenSeen: ({ layout }) => layout.type === 'inline',
    // An overlay goes in <body>, which a script in <head> runs before; and on screen, so in a visible tab.
    whenReady: ({ layout }, signal, then) =>
      layout.type === 'inline' ? whenHostAppears(layout, signal, then) : whenBodyExists(signal, () => whenVisible(signal, then)),
    present: (message, controls, host) => presentElement(message, host, controls, log),
  };
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
