import { BeckonMessage } from './message.js';

if (typeof customElements !== 'undefined' && !customElements.get('beckon-message')) {
  customElements.define('beckon-message', BeckonMessage);
}

declare global {
  interface HTMLElementTagNameMap {
    'beckon-message': BeckonMessage;
  }
}
