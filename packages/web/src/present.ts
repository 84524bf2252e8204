// Putting a message on screen with <beckon-message>: overlays once <body> exists and the tab is visible, inline cards
// in their slot. The element itself (Lit and @beckon/elements) is loaded only when a message will or may show.
import type { Log, MessageControls, Presented, Renderer } from '@beckon/engine';
import type { BeckonMessage } from '@beckon/elements';
import type { CompiledMessage, Message } from '@beckon/rules/runtime';
import type { Elements } from './elements.js';
import { whenHostAppears } from './slot-watcher.js';
import { whenBodyExists, whenVisible } from './triggers.js';

/**
 * The renderer of the page: an inline card counts once seen in its slot, an overlay as it goes on screen. The
 * elements are loaded (`load`) and defined the first time a view has a message that will or may show; a page that
 * defines `<beckon-message>` itself keeps its own and loads nothing.
 */
export function elementRenderer(load: () => Promise<Elements>, log: Log): Renderer<Element> {
  let loading: Promise<boolean> | undefined;
  /** Resolves to whether `<beckon-message>` can be drawn: defined by the page, or loaded and defined here. */
  const ready = () =>
    (loading ??= customElements.get('beckon-message')
      ? Promise.resolve(true)
      : load().then(
          ({ defineElements }) => (defineElements(), true),
          (error: unknown) => (log('render', 'the renderer could not be loaded, so no message shows', error), false),
        ));
  return {
    prepare: () => void ready(),
    countsWhenSeen: ({ layout }) => layout.type === 'inline',
    whenReady: ({ layout }, signal, then) =>
      void ready().then((defined) => {
        if (!defined || signal.aborted) return;
        if (layout.type === 'inline') whenHostAppears(layout, signal, then);
        // An overlay goes in <body>, which a script in <head> runs before; and on screen, so in a visible tab.
        else whenBodyExists(signal, () => whenVisible(signal, then));
      }, (error: unknown) => log('render', 'a message could not be shown', error)),
    present: (message, controls, host) => presentElement(message, host, controls, log),
  };
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
