// `render: ['inline']`: `<beckon-message>` draws the listed layouts, the host's `onMessage` the others.
import type { Renderer } from '@beckon/engine';
import type { CompiledMessage, LayoutType } from '@beckon/rules/runtime';

/** A renderer that gives each message to `drawn` when its layout is one of `layouts`, else to `headless`. */
export function splitRenderer(layouts: readonly LayoutType[], drawn: Renderer, headless: Renderer): Renderer {
  const of = (message: CompiledMessage) => (layouts.includes(message.layout.type) ? drawn : headless);
  return {
    // Only what <beckon-message> will draw loads it.
    prepare: (messages) => {
      const mine = messages.filter((m) => of(m) === drawn);
      if (mine.length) drawn.prepare?.(mine);
    },
    countsWhenSeen: (message) => of(message).countsWhenSeen(message),
    whenReady: (message, signal, then) => of(message).whenReady(message, signal, then),
    present: (message, controls, target) => of(message).present(message, controls, target),
  };
}
