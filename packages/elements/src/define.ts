// Registers <beckon-message> and <beckon-slot>. Import this once in the browser; importing it twice,
// or alongside another copy of this package, is harmless.
import { BeckonMessage } from './message.component.js';
import { BeckonSlot } from './slot.component.js';

/** Defines a tag unless something already did (a second copy of the package, a page script). */
function define(tag: string, element: CustomElementConstructor): void {
  if (typeof customElements !== 'undefined' && !customElements.get(tag)) customElements.define(tag, element);
}

define('beckon-message', BeckonMessage);
define('beckon-slot', BeckonSlot);

declare global {
  interface HTMLElementTagNameMap {
    'beckon-message': BeckonMessage;
    'beckon-slot': BeckonSlot;
  }
}
