// The events <beckon-message> fires, typed for addEventListener everywhere.
import type { LayoutType } from './types.js';

/** How a message was dismissed: its close button, Escape, a click on the modal's backdrop, a `dismiss` action, or `close()`. */
export type DismissVia = 'close-button' | 'escape' | 'backdrop' | 'action' | 'api';

/** Detail of `beckon-shown`: the message is on screen (at least partly in the viewport, in a visible tab). */
export interface BeckonShownDetail {
  messageId: string;
  layout: LayoutType;
}

/** Detail of `beckon-action`: an action was clicked. */
export interface BeckonActionDetail {
  messageId: string;
  actionId: string;
  /** The action's URL when it is safe to follow (see `isSafeUrl`); `undefined` when it has none or it was refused. */
  url: string | undefined;
}

/** Detail of `beckon-dismiss`: the message closed because the visitor (or the page) dismissed it. */
export interface BeckonDismissDetail {
  messageId: string;
  via: DismissVia;
}

declare global {
  interface HTMLElementEventMap {
    'beckon-shown': CustomEvent<BeckonShownDetail>;
    'beckon-action': CustomEvent<BeckonActionDetail>;
    'beckon-dismiss': CustomEvent<BeckonDismissDetail>;
  }
  interface GlobalEventHandlersEventMap {
    'beckon-shown': CustomEvent<BeckonShownDetail>;
    'beckon-action': CustomEvent<BeckonActionDetail>;
    'beckon-dismiss': CustomEvent<BeckonDismissDetail>;
  }
}
