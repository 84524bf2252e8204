// The demo store: starts Beckon from its script-tag build (window.beckon, from /assets/beckon.min.js), or from the
// npm package bundled here when the config says `sdk: 'npm'`, against the demo's server, and wires the store's own
// bits: the visitor panel, "reset visitor", add to cart and the sign-up form, which identifies the visitor.
import type { Beckon, BeckonGlobal } from '@beckon/web';
import { demoConfig, linkDashboard } from './lib/config.js';
import { byId } from './lib/dom.js';

declare global {
  interface Window {
    beckon?: BeckonGlobal;
    /** The running demo, for the console and the end-to-end tests. */
    demoStore?: { beckon: Beckon };
  }
}

linkDashboard();

// (The npm package is a chunk of this bundle, loaded only when asked for, as the renderer is a chunk of it.)
const createBeckon = demoConfig().sdk === 'npm' ? (await import('@beckon/web')).createBeckon : window.beckon?.createBeckon;
if (!createBeckon) throw new Error('the demo store needs /assets/beckon.min.js before /assets/store.js');
const beckon = createBeckon({ endpoint: demoConfig().endpoint, debug: true });
window.demoStore = { beckon };

/** Shows who the visitor is in the demo bar. */
function showVisitor(): void {
  byId('visitor-id').textContent = beckon.anonymousId;
  const state = byId('visitor-state');
  state.textContent = beckon.userId ? `signed up as ${beckon.userId}` : 'anonymous';
  state.classList.toggle('identified', beckon.userId !== undefined);
}
showVisitor();

byId('reset-visitor').addEventListener('click', async () => {
  // Send what happened so far before forgetting the visitor; the dashboard keeps it.
  await beckon.flush();
  beckon.reset();
  // The new visitor starts on the next page: nothing is decided (or counted as shown) on this one.
  beckon.destroy();
  location.assign('/store/');
});

for (const button of document.querySelectorAll<HTMLButtonElement>('[data-add-to-cart]')) {
  button.addEventListener('click', () => {
    const sku = button.closest<HTMLElement>('[data-sku]')?.dataset['sku'];
    beckon.track('added_to_cart', { sku });
    const note = button.parentElement?.querySelector('.cart-note');
    if (note) note.textContent = 'Added to your cart (not really: this is a demo).';
  });
}

const form = document.querySelector<HTMLFormElement>('#signup-form');
form?.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const email = String(data.get('email')).trim().toLowerCase();
  const name = String(data.get('name')).trim();
  // The user id joins this visitor's anonymous history to the account on the server.
  beckon.identify(email, { email, name });
  showVisitor();
  form.hidden = true;
  byId('signup-name').textContent = name;
  const done = byId('signup-done');
  done.hidden = false;
  done.focus();
  // Sent now rather than within the next few seconds, so the dashboard shows the conversion at once.
  await beckon.flush();
});
