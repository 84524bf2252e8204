// Which elements Tab reaches inside a message.

/** The focused element, looking through shadow roots (document.activeElement stops at the first host). */
export function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/**
 * Elements that are in the tab order unless disabled or hidden. `[href]` is links and image-map areas: whatever
 * else has an href (an SVG image, a link in the head) is not focusable, so the tabIndex check drops it.
 */
const CANDIDATES = '[href],button,input,select,textarea,iframe,summary,[tabindex],[contenteditable]';

/**
 * The elements Tab visits inside `root`, in tree order: focusable, enabled, not inert, rendered and
 * visible, and without a negative tabindex. It does not enter nested shadow roots: a message's
 * content is rendered by the message itself and has none.
 */
export function tabbables(root: ParentNode): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(CANDIDATES)].filter(
    (el) => el.tabIndex >= 0 && !el.matches(':disabled,[inert] *,[inert]') && el.checkVisibility({ visibilityProperty: true }),
  );
}
