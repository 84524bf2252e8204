// The renderer, as its own entry: a chunk for bundlers and `beckon-elements.min.js` beside `beckon.min.js`, loaded
// only when a page view has a message that will or may show (it brings Lit and @beckon/elements' components).
import { BeckonMessage, BeckonSlot } from '@beckon/elements';

/** Registers Beckon's elements, unless something did already (another copy of them, the page itself). */
export function defineElements(): void {
  if (!customElements.get('beckon-message')) customElements.define('beckon-message', BeckonMessage);
  if (!customElements.get('beckon-slot')) customElements.define('beckon-slot', BeckonSlot);
}

/** What the SDK loads on demand. */
export interface Elements {
  defineElements: typeof defineElements;
}
