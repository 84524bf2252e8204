// The visitor's ledger in storage, shared by the site's tabs: every write merges what the other tabs wrote,
// a check-and-record runs under a Web Lock, and other tabs' writes arrive through the `storage` event.
import { emptyLedger, mergeLedgers, parseLedger, prune, type CompiledCatalog, type Ledger } from '@beckon/rules/runtime';
import type { Log } from './log.js';

/** The storage key of the ledger. */
export const LEDGER_KEY = 'beckon_ledger';

/** What is stored: whose ledger it is (an anonymous id), the ledger, and the session each held-out message was last reported in. */
interface Stored {
  owner: string;
  ledger: Ledger;
  held: Record<string, number>;
}

/** One tab's view of the shared ledger. */
export interface LedgerStore {
  /** The ledger as this tab knows it. */
  current(): Ledger;
  /** Changes the ledger here and in storage right away, without the lock: for records that need no check. */
  update(change: (ledger: Ledger) => Ledger): void;
  /**
   * Re-reads storage and, under the lock (where Web Locks exist), gives the merged ledger to `decide`; what it
   * returns is written. Resolves to whether `decide` returned a ledger; false too when anything failed.
   */
  transact(decide: (ledger: Ledger) => Ledger | undefined): Promise<boolean>;
  /** Marks a message as held out in a session; false when it was marked for that session already (in any tab). */
  markHeldOut(messageId: string, session: number): boolean;
  /** Switches to the ledger of another visitor (a different user identified, or a reset): a fresh one unless stored. */
  setOwner(owner: string): void;
  /** The catalog whose messages the ledger keeps history for (older history is pruned on write). */
  setCatalog(catalog: CompiledCatalog): void;
  /** Calls `changed` after another tab wrote the ledger; returns a function that stops listening. */
  watch(changed: () => void): () => void;
}

/** Where the ledger lives: `localStorage`, `sessionStorage`, or nowhere (memory only). */
export type LedgerArea = 'localStorage' | 'sessionStorage' | undefined;

/** Creates the store for `owner` (the tracker's anonymous id) in `area`. Storage that throws leaves the ledger in memory. */
export function createLedgerStore(area: LedgerArea, owner: string, now: () => number, log: Log): LedgerStore {
  let catalog: CompiledCatalog | undefined;
  let memory: Stored = { owner, ledger: emptyLedger(), held: {} };

  const storage = (): Storage | undefined => (area ? (globalThis as unknown as Record<string, Storage>)[area] : undefined);

  /** Folds what storage holds into memory: no show, dismissal or action of another tab is lost. */
  const merge = () => {
    try {
      const stored = JSON.parse(storage()?.getItem(LEDGER_KEY) ?? 'null') as Partial<Stored> | null;
      // Another visitor's ledger (a different user signed in on this device) is not this one's history.
      if (stored?.owner !== memory.owner) return;
      memory.ledger = mergeLedgers(memory.ledger, parseLedger(stored.ledger));
      memory.held = { ...memory.held, ...stored.held };
    } catch (error) {
      log.fail('storage', 'stored message history unreadable; starting afresh', error);
    }
  };

  const write = () => {
    try {
      if (catalog) memory.ledger = prune(memory.ledger, catalog, now());
      storage()?.setItem(LEDGER_KEY, JSON.stringify(memory));
    } catch (error) {
      log.fail('storage', 'message history not stored; kept in memory', error);
    }
  };

  /** Runs `task` with the cross-tab lock when the browser has Web Locks, else at once. */
  const locked = <T>(task: () => T): Promise<T> => {
    const locks = globalThis.navigator?.locks;
    return area === 'localStorage' && locks ? (locks.request(LEDGER_KEY, task) as Promise<T>) : Promise.resolve().then(task);
  };

  merge();
  return {
    current: () => memory.ledger,
    update(change) {
      merge();
      memory.ledger = change(memory.ledger);
      write();
      // Written again under the lock: a tab that was inside its check-and-record may have overwritten this write.
      void locked(() => (merge(), write())).catch(() => undefined);
    },
    transact(decide) {
      return locked(() => {
        merge();
        const next = decide(memory.ledger);
        if (next) memory.ledger = next;
        write();
        return next !== undefined;
      }).catch((error: unknown) => {
        log.fail('ledger', 'message history check failed', error);
        return false;
      });
    },
    markHeldOut(messageId, session) {
      merge();
      if (memory.held[messageId] === session) return false;
      memory.held[messageId] = session;
      write();
      return true;
    },
    setOwner(next) {
      if (next === memory.owner) return;
      memory = { owner: next, ledger: emptyLedger(), held: {} };
      merge();
    },
    setCatalog(next) {
      catalog = next;
    },
    watch(changed) {
      const onStorage = (event: StorageEvent) => {
        if (event.key !== LEDGER_KEY && event.key !== null) return;
        merge();
        changed();
      };
      globalThis.addEventListener?.('storage', onStorage);
      return () => globalThis.removeEventListener?.('storage', onStorage);
    },
  };
}
