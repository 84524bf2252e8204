// What an open modal does to the page: focus moves into it and stays in the newest modal, the page does not
// scroll while any modal is open, and focus goes back where it was when the modal closes.
import { deepActiveElement, tabbables } from './tabbable.js';

/** Containers of open modals, the newest last. The page is held (listeners, scroll lock) only while this is not empty. */
const modals: HTMLElement[] = [];
/** The page's own inline styles, put back exactly as they were when the last modal closes. */
let saved: { overflow: string; paddingRight: string } | undefined;

/** Tab and Shift+Tab move focus ourselves, wrapping at both ends, so focus never leaves the dialog. */
function onKeydown(event: KeyboardEvent): void {
  // Listened to only while a modal is open (see holdPage).
  const container = modals.at(-1)!;
  if (event.key !== 'Tab' || event.ctrlKey || event.altKey || event.metaKey) return;
  event.preventDefault();
  const items = tabbables(container);
  const at = items.indexOf(deepActiveElement() as HTMLElement);
  const next = event.shiftKey ? (at < 1 ? items.length - 1 : at - 1) : (at + 1) % items.length;
  (items[next] ?? container).focus();
}

/** Focus that lands outside the top modal (a script, the browser's own UI) is brought back into it. */
function onFocusIn(event: FocusEvent): void {
  const container = modals.at(-1)!;
  if (!event.composedPath().includes(container)) container.focus();
}

/**
 * Holds the page for the first modal opened, and lets it go after the last one: the focus listeners, and the
 * scroll lock, which adds the scrollbar's width as padding so the page does not shift sideways.
 */
function holdPage(hold: boolean): void {
  const method = hold ? 'addEventListener' : 'removeEventListener';
  document[method]('keydown', onKeydown as EventListener, true);
  document[method]('focusin', onFocusIn as EventListener, true);
  const html = document.documentElement;
  const { style } = html;
  if (!hold) {
    Object.assign(style, saved);
    return;
  }
  const scrollbar = innerWidth - html.clientWidth;
  saved = { overflow: style.overflow, paddingRight: style.paddingRight };
  if (scrollbar > 0) style.paddingRight = `calc(${getComputedStyle(html).paddingRight} + ${scrollbar}px)`;
  style.overflow = 'hidden';
}

/**
 * Opens `container` as a modal (it must be focusable itself, e.g. tabindex="-1", for when it holds nothing
 * tabbable): focuses it, traps Tab and Shift+Tab inside it and locks the page's scrolling, until the returned
 * function closes it (once; later calls do nothing) and gives focus back.
 */
export function openModal(container: HTMLElement): () => void {
  const previous = deepActiveElement();
  // Focus first: it lays the page out once, and the scroll lock can then measure without another layout.
  container.focus({ preventScroll: true });
  if (!modals.length) holdPage(true);
  modals.push(container);
  return () => {
    const at = modals.indexOf(container);
    if (at === -1) return;
    modals.splice(at, 1);
    if (!modals.length) holdPage(false);
    // Whatever had focus can take it again (HTML, SVG and MathML elements all have focus()).
    if (previous?.isConnected) (previous as Element & HTMLOrSVGElement).focus({ preventScroll: true });
  };
}
