// Where the browser keeps the visitor's message history: `localStorage` (shared by the site's tabs, a check-and-record
// under a Web Lock, other tabs' writes through the `storage` event), `sessionStorage`, or memory only.
import { LEDGER_KEY, type LedgerStorage } from '@beckon/engine';
import { webStore } from '@beckon/tracking';

/** The ledger's storage in `area`; nothing (memory only) without one. */
export function browserLedger(area: 'localStorage' | 'sessionStorage' | undefined): LedgerStorage {
  if (!area) return {};
  return {
    // The tracker's adapter: it looks the area up on every call and throws where it is absent or blocked.
    store: webStore(area),
    lock(task) {
      // Looked up on every call: where Web Locks are missing, every write still merges what the other tabs wrote.
      const locks = globalThis.navigator?.locks;
      return area === 'localStorage' && locks ? (locks.request(LEDGER_KEY, task) as Promise<ReturnType<typeof task>>) : Promise.resolve().then(task);
    },
    watch(signal, { changed, leaving }) {
      const listen = { signal };
      addEventListener('storage', (event) => (event.key === LEDGER_KEY || event.key === null) && changed(), listen);
      addEventListener('pagehide', leaving, listen);
    },
  };
}
