// Keeps keyboard focus inside the open modal; when modals stack, the newest one traps.
import { deepActiveElement, tabbables } from './tabbable.js';

/** Containers of open modals, the newest last. Listeners are on the document only while this is not empty. */
const traps: HTMLElement[] = [];

/** Tab and Shift+Tab move focus ourselves, wrapping at both ends, so focus never leaves the dialog. */
function onKeydown(event: KeyboardEvent): void {
  const container = traps.at(-1);
  if (!container || event.key !== 'Tab' || event.ctrlKey || event.altKey || event.metaKey) return;
  event.preventDefault();
  const items = tabbables(container);
  const at = items.indexOf(deepActiveElement() as HTMLElement);
  const next = event.shiftKey ? (at < 1 ? items.length - 1 : at - 1) : (at + 1) % items.length;
  (items[next] ?? container).focus();
}

/** Focus that lands outside the top modal (a script, the browser's own UI) is brought back into it. */
function onFocusIn(event: FocusEvent): void {
  const container = traps.at(-1);
  if (container && !event.composedPath().includes(container)) container.focus();
}

function listen(add: boolean): void {
  const method = add ? 'addEventListener' : 'removeEventListener';
  document[method]('keydown', onKeydown as EventListener, true);
  document[method]('focusin', onFocusIn as EventListener, true);
}

/**
 * Traps Tab and Shift+Tab inside `container` (which must be focusable itself, e.g. tabindex="-1",
 * for when it holds nothing tabbable) until the returned function releases it.
 */
export function trapFocus(container: HTMLElement): () => void {
  if (traps.length === 0) listen(true);
  traps.push(container);
  return () => {
    const at = traps.indexOf(container);
    if (at === -1) return;
    traps.splice(at, 1);
    if (traps.length === 0) listen(false);
  };
}
