// Small DOM helpers shared by the docs pages' scripts.

/** The nearest code block before `element` in document order whose <code> has `className`. */
export function previousCode(element: Element, className: string): HTMLElement | undefined {
  const blocks = [...document.querySelectorAll<HTMLElement>(`pre > code.${className}`)];
  return blocks.filter((code) => code.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING).pop();
}

/** The element with `id`, or an error naming it (a page and its script must agree). */
export function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}
