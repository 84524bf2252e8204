import { mergeLedgers, prune, record, type CompiledCatalog, type Ledger } from '@beckon/rules';
import type { BeckonDatabase } from './database.js';
import type { LedgerEntryKind } from '../rows.js';
import { readStoredLedger } from '../stored-ledger.js';
import type { EventHooks } from './events.js';

/** Each person's frequency ledger, stored as JSON in the `ledgers` table. */
export interface LedgerStore {
  /** The person's ledger (empty when none is stored). */
  read(person: string): Ledger;
  /** Stores the person's ledger. */
  write(person: string, ledger: Ledger, now: number): void;
  /**
   * Hooks for the event store that keep ledgers in step with collected events, in the batch's own
   * transaction: shows, clicks and dismissals are recorded; on identify the anonymous ledger joins the user's.
   */
  eventHooks(): EventHooks;
}

/**
 * Prepares the ledger statements over an open database. With `catalog`, every ledger written is
 * pruned to what that catalog's frequency rules can still need, so ledgers stay small.
 */
export function createLedgerStore(db: BeckonDatabase, catalog?: () => CompiledCatalog): LedgerStore {
  const select = db.prepare('SELECT ledger FROM ledgers WHERE person = ?').pluck();
  const upsert = db.prepare(`
    INSERT INTO ledgers (person, ledger, updated_ms) VALUES (?, ?, ?)
    ON CONFLICT (person) DO UPDATE SET ledger = excluded.ledger, updated_ms = excluded.updated_ms`);
  const remove = db.prepare('DELETE FROM ledgers WHERE person = ?');

  const read = (person: string): Ledger => readStoredLedger(select.get(person) as string | undefined);
  const write = (person: string, ledger: Ledger, now: number): void => {
    upsert.run(person, JSON.stringify(catalog ? prune(ledger, catalog(), now) : ledger), now);
  };

  function eventHooks(): EventHooks {
    // Ledgers touched by the current batch, written once at its end.
    const pending = new Map<string, Ledger>();
    const current = (person: string) => pending.get(person) ?? read(person);
    return {
      messageEvent(person: string, messageId: string, kind: LedgerEntryKind, at: number, eventId: string) {
        try {
          // The event id as the "tab" keeps two shows in the same millisecond apart.
          pending.set(person, record(current(person), { messageId, type: kind, at, tab: eventId.slice(0, 64) }));
        } catch (error) {
          // A message id no catalog could hold has no frequency to keep.
          if (!(error instanceof TypeError)) throw error;
        }
      },
      personLinked(from: string, to: string) {
        pending.set(to, mergeLedgers(current(to), current(from)));
        pending.delete(from);
        remove.run(from);
      },
      batchDone(receivedMs: number) {
        for (const [person, ledger] of pending) write(person, ledger, receivedMs);
        pending.clear();
      },
      batchFailed() {
        pending.clear();
      },
    };
  }

  return { read, write, eventHooks };
}
