// Headless mode: the host's own code draws each message (`onMessage`), and reports what the visitor does.
import type { Log } from './log.js';
import type { MessageControls, MessageHandler, Presented, Renderer } from './types.js';

/**
 * A renderer that hands every message to `onMessage` as soon as its trigger fires; each show counts once the host
 * calls `controls.shown()`. Without `onMessage` nothing is shown.
 */
export function headlessRenderer(onMessage: MessageHandler | undefined, log: Log): Renderer {
  return {
    countsWhenSeen: () => true,
    whenReady: (_message, _signal, then) => void (onMessage && then()),
    present: (message, controls) => presentHeadless(onMessage!, message, controls, log),
  };
}

/** Hands `message` to the host's `onMessage`; its return value is how Beckon takes it away again. */
function presentHeadless(onMessage: MessageHandler, message: Parameters<MessageHandler>[0], controls: MessageControls, log: Log): Presented {
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
