// Registers <beckon-message> and <beckon-slot>. Import this once in the browser; importing it twice,
// or alongside another copy of this package, is harmless.
import { BeckonMessage } from './message.component.js';
import { BeckonSlot } from './slot.component.js';

// Defines each tag unless something already did (a second copy of the package, a page script).
if (typeof customElements !== 'undefined') {
  if (!customElements.get('beckon-message')) customElements.define('beckon-message', BeckonMessage);
  if (!customElements.get('beckon-slot')) customElements.define('beckon-slot', BeckonSlot);
}

declare global {
  interface HTMLElementTagNameMap {
    'beckon-message': BeckonMessage;
    'beckon-slot': BeckonSlot;
  }
}
