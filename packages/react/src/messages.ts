// <BeckonMessages render>: headless messages drawn by the app's own components, each reported shown once committed.
import { createElement, useEffect, type ReactNode } from 'react';
import type { HeadlessMessage } from './feed.js';
import { useMessages, type UseMessagesOptions } from './hooks.js';

/** Draws one headless message. */
export type RenderMessage = (message: HeadlessMessage) => ReactNode;

/** Props of `<BeckonMessages>`. */
export interface BeckonMessagesProps extends UseMessagesOptions {
  /** Your component for a message: call `action(id)` and `dismiss(via)` from it; `shown()` is called for you. */
  render: RenderMessage;
}

/**
 * Draws the headless messages (of `layout`, if given) with `render`, and reports each one shown once React has put
 * it on screen. Renders nothing on the server. For a show counted later (an inline card scrolled into view), use
 * `useMessages` and call `shown()` yourself.
 */
export function BeckonMessages({ render, layout }: BeckonMessagesProps): ReactNode {
  return renderAll(useMessages({ layout }), render);
}

/** Each message through `render`, keyed by id, reported shown once mounted. */
export function renderAll(messages: readonly HeadlessMessage[], render: RenderMessage): ReactNode {
  return messages.map((message) => createElement(Shown, { key: message.id, message, render }));
}

function Shown({ message, render }: { message: HeadlessMessage; render: RenderMessage }): ReactNode {
  // After the commit: the app's component is in the tree. (shown() counts once: StrictMode's second run is no show.)
  useEffect(() => message.shown(), [message]);
  return render(message);
}
