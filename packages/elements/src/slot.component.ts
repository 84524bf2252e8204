// <beckon-slot>: a named place in a page where inline messages appear.
import { html } from 'lit/html.js';
import { BeckonElement } from './internal/element.js';

/**
 * Marks where inline messages go. A message with `layout: { type: 'inline', slot: 'pricing-footer' }`
 * is shown inside `<beckon-slot name="pricing-footer">` (see `findInlineHost`); the slot is a block
 * as wide as its container and takes no space while it is empty.
 *
 * @summary A named place in the page for inline messages.
 * @customElement beckon-slot
 *
 * @attr name - The name messages refer to with `layout.slot`.
 * @slot - The `<beckon-message>` elements shown here.
 */
export class BeckonSlot extends BeckonElement {
  static override styles = ':host{display:block}';

  /** The name messages refer to with `layout.slot` (the `name` attribute). */
  get name(): string {
    return this.getAttribute('name') ?? '';
  }
  set name(name: string) {
    this.setAttribute('name', name);
  }

  protected override render(): unknown {
    return html`<slot></slot>`;
  }
}
