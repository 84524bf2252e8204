// The messages that the app's own components draw (headless rendering), as an external store React subscribes to.
// Beckon hands each message over with its controls; the feed keeps it until Beckon withdraws it or it is dismissed.
import type { MessageControls, MessageHandler } from '@beckon/engine';
import type { CompiledMessage, Content, Layout } from '@beckon/rules/runtime';

/**
 * A message to draw with your own components, and what to report about it. Each control records in the visitor's
 * history and sends its event exactly as `<beckon-message>` does.
 */
export interface HeadlessMessage {
  /** The message id. */
  readonly id: string;
  /** The layout as the visitor gets it (their variant's, in an experiment): `type`, and `slot` for inline cards. */
  readonly layout: Layout;
  /** The title, body, image and actions (their variant's, in an experiment). Plain text: render it as text. */
  readonly content: Content;
  /** The whole compiled message (audience, frequency, trigger…), for what the fields above do not say. */
  readonly message: CompiledMessage;
  /** The message is on screen: records the show and sends `Message Shown`. Counts once; later calls do nothing. */
  shown(): void;
  /**
   * The visitor chose the action `actionId` of `content.actions`: sends `Message Clicked` with the action's URL when
   * it is safe to follow (http(s), mailto, tel or relative), and dismisses the message (`via: 'action'`) when the
   * action has `dismiss: true`. Returns that URL, for your router to follow; Beckon navigates nowhere itself.
   */
  action(actionId: string): string | undefined;
  /** The visitor dismissed it: records it, sends `Message Dismissed` with `via` (default `'api'`), and it leaves the list. */
  dismiss(via?: string): void;
}

/** The headless messages of one Beckon instance, as a store for `useSyncExternalStore`. */
export interface MessageFeed {
  /** The messages on screen now, best first; a new array after every change. */
  current(): readonly HeadlessMessage[];
  /** Calls `listener` after every change; returns the function that stops it. */
  subscribe(listener: () => void): () => void;
  /** The handler to give Beckon (`onMessage`, or the engine's `headlessRenderer`). */
  readonly onMessage: MessageHandler;
}

/** Which URLs a message may send a visitor to: the rule `<beckon-message>` follows. */
export type UrlCheck = (url: unknown) => url is string;

/** Creates an empty feed; `safeUrl` decides which action URLs are reported and returned. */
export function createFeed(safeUrl: UrlCheck): MessageFeed {
  let list: readonly HeadlessMessage[] = [];
  const listeners = new Set<() => void>();
  const set = (next: readonly HeadlessMessage[]) => {
    list = next;
    for (const listener of [...listeners]) listener();
  };
  const remove = (entry: HeadlessMessage) => list.includes(entry) && set(list.filter((m) => m !== entry));
  return {
    current: () => list,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    onMessage(message, controls) {
      const entry = headless(message, controls, safeUrl, () => remove(entry));
      set([...list, entry]);
      // Withdrawn by Beckon (navigation, identify, another tab, destroy): it just leaves the list.
      return () => remove(entry);
    },
  };
}

/** One message with its controls; `gone` takes it out of the feed once dismissed. */
function headless(message: CompiledMessage, controls: MessageControls, safeUrl: UrlCheck, gone: () => void): HeadlessMessage {
  const dismiss = (via?: string) => {
    controls.dismissed(via);
    gone();
  };
  return {
    id: message.id,
    layout: message.layout,
    content: message.content,
    message,
    shown: () => controls.shown(),
    action(actionId) {
      const action = message.content.actions?.find((a) => a.id === actionId);
      // As <beckon-message> reports it: the URL when it is safe to follow, then the dismissal a `dismiss` action makes.
      const url = safeUrl(action?.url) ? action.url : undefined;
      controls.clicked(actionId, url);
      if (action?.dismiss) dismiss('action');
      return url;
    },
    dismiss,
  };
}
