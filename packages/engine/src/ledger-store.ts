// The visitor's ledger in storage, shared by the site's tabs: every write merges what the other tabs wrote,
// a check-and-record runs under the host's lock (a Web Lock), and other tabs' writes arrive through its `watch`.
import { emptyLedger, mergeLedgers, parseLedger, prune, type CompiledCatalog, type Ledger } from '@beckon/rules/runtime';
import type { Log } from './log.js';
import type { LedgerStorage } from './types.js';

/** The storage key of the ledger. */
export const LEDGER_KEY = 'beckon_ledger';

/**
 * What is stored: whose ledger it is (the user id, or `''` while anonymous), since when (epoch ms; 0 for the first
 * anonymous visitor), the ledger, and the session each held-out message was last reported in.
 */
interface Stored {
  owner: string;
  since: number;
  ledger: Ledger;
  held: Record<string, number>;
}

/** One tab's view of the shared ledger. */
export interface LedgerStore {
  /** The ledger as this tab knows it. */
  current(): Ledger;
  /** Changes the ledger here, and in storage under the lock: for records that need no check. */
  update(change: (ledger: Ledger) => Ledger): void;
  /**
   * Re-reads storage and, under the lock (where Web Locks exist), gives the merged ledger to `decide`; what it
   * returns is written. Resolves to whether `decide` returned a ledger; false too when anything failed.
   */
  transact(decide: (ledger: Ledger) => Ledger | undefined): Promise<boolean>;
  /** Marks a message as held out in the ledger's session; false when it was marked for that session already (in any tab). */
  markHeldOut(messageId: string): boolean;
  /**
   * Makes the ledger `owner`'s (a user id, or `''` when anonymous). Signing in keeps the anonymous history; another
   * user, or `fresh` (a reset), starts a new one, which the other tabs then take up too.
   */
  setOwner(owner: string, fresh?: boolean): void;
  /** Calls `changed` after another tab wrote the ledger, and stores the ledger when the host goes away, until `signal` aborts. */
  watch(signal: AbortSignal, changed: () => void): void;
}

/**
 * Creates the store for `owner` (the user id, or `''`) in the host's `store`, used only while `consented()`. Storage
 * that throws (or may not be used) leaves the ledger in memory. `catalog` gives the messages the ledger keeps history
 * for, once loaded (older history is pruned on write).
 */
export function createLedgerStore(host: LedgerStorage, owner: string, now: () => number, log: Log, catalog: () => CompiledCatalog | undefined, consented: () => boolean): LedgerStore {
  let memory: Stored = { owner, since: 0, ledger: emptyLedger(), held: {} };
  // Looked up on every use: without consent, storage acts as a store that holds nothing.
  const storage = () => (consented() ? host.store : undefined);

  /** Folds what storage holds into memory: no show, dismissal or action of another tab is lost. */
  const merge = () => {
    try {
      const stored = JSON.parse(storage()?.get(LEDGER_KEY) ?? 'null') as Partial<Stored> | null;
      if (!stored) return;
      const ledger = parseLedger(stored.ledger);
      if (stored.owner === memory.owner && stored.since === memory.since) {
        memory.ledger = mergeLedgers(memory.ledger, ledger);
        memory.held = { ...memory.held, ...stored.held };
      } else if (Number(stored.since) > memory.since) {
        // Another tab signed in, switched user or reset since: its ledger is the one now (an older one is ignored).
        memory = { owner: String(stored.owner), since: Number(stored.since), ledger, held: { ...stored.held } };
      }
    } catch (error) {
      log('storage', 'message history unreadable; starting afresh', error);
    }
  };

  const write = () => {
    try {
      const messages = catalog();
      if (messages) memory.ledger = prune(memory.ledger, messages, now());
      storage()?.set(LEDGER_KEY, JSON.stringify(memory));
    } catch (error) {
      log('storage', 'message history kept in memory only', error);
    }
  };

  /** Runs `task` with the host's cross-tab lock when it has one, else at once. */
  const locked = <T>(task: () => T): Promise<T> => (host.lock ? host.lock(task) : Promise.resolve().then(task));

  /** Folds in what the other tabs stored, then stores it all. */
  const sync = () => (merge(), write());

  /** Stores what this tab knows, under the lock: a write outside it could undo another tab's check-and-record. */
  const persist = () => void locked(sync).catch(() => undefined);

  merge();
  return {
    current: () => memory.ledger,
    update(change) {
      merge();
      memory.ledger = change(memory.ledger);
      persist();
    },
    transact(decide) {
      return locked(() => {
        merge();
        const next = decide(memory.ledger);
        if (next) memory.ledger = next;
        write();
        return next !== undefined;
      }).catch((error: unknown) => {
        log('ledger', 'message history check failed', error);
        return false;
      });
    },
    markHeldOut(messageId) {
      merge();
      // A session is known by its start.
      const session = memory.ledger.session?.start ?? 0;
      if (memory.held[messageId] === session) return false;
      memory.held[messageId] = session;
      persist();
      return true;
    },
    setOwner(next, fresh) {
      merge();
      if (next === memory.owner && !fresh) return;
      const keep = !fresh && memory.owner === '';
      memory = { owner: next, since: now(), ledger: keep ? memory.ledger : emptyLedger(), held: keep ? memory.held : {} };
      persist();
    },
    watch(signal, changed) {
      host.watch?.(signal, {
        changed() {
          merge();
          changed();
        },
        // A page going away (a clicked link, say) may not get the lock in time: store what it knows now.
        leaving: sync,
      });
    },
  };
}
