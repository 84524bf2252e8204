// Locks the page's scrolling while a modal is open. One lock for the page, however many modals hold it.

/** Whoever holds the lock now; the page scrolls again when the last one lets go. */
const holders = new Set<object>();
/** The page's own inline styles, put back exactly as they were. */
let saved: { overflow: string; paddingRight: string } | undefined;

/**
 * Stops the page from scrolling until every holder has called `unlockScroll`. The first holder
 * applies the lock; later ones only join it, so nested modals never save the locked state as the
 * page's own. The scrollbar's width is added as padding so the page does not shift sideways.
 */
export function lockScroll(holder: object): void {
  holders.add(holder);
  if (saved) return;
  const html = document.documentElement;
  const scrollbar = window.innerWidth - html.clientWidth;
  saved = { overflow: html.style.overflow, paddingRight: html.style.paddingRight };
  if (scrollbar > 0) html.style.paddingRight = `calc(${getComputedStyle(html).paddingRight} + ${scrollbar}px)`;
  html.style.overflow = 'hidden';
}

/** Lets go of the lock; the last holder to let go restores the page's styles and scrolling. */
export function unlockScroll(holder: object): void {
  if (!holders.delete(holder) || holders.size > 0 || !saved) return;
  const html = document.documentElement;
  html.style.overflow = saved.overflow;
  html.style.paddingRight = saved.paddingRight;
  saved = undefined;
}

