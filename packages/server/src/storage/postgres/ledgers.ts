import { prune, record, type CompiledCatalog, type Ledger } from '@beckon/rules';
import type { LedgerEntryKind } from '../rows.js';
import { readStoredLedger } from '../stored-ledger.js';
import type { Client } from './pool.js';

/**
 * Takes the advisory locks of these person keys until the transaction ends, in one order every
 * process uses (sorted), so that two transactions touching the same visitors wait for each other.
 */
export async function lockPeople(client: Client, keys: Iterable<string>): Promise<void> {
  const sorted = [...new Set(keys)].sort();
  if (sorted.length === 0) return;
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k', [sorted]);
}

/** Reads the stored ledgers of these people (absent ones are empty). */
export async function readLedgers(client: Client, people: readonly string[]): Promise<Map<string, Ledger>> {
  const found = new Map<string, Ledger>();
  if (people.length === 0) return found;
  const { rows } = await client.query<{ person: string; ledger: string }>('SELECT person, ledger FROM ledgers WHERE person = ANY($1::text[])', [people]);
  for (const row of rows) found.set(row.person, readStoredLedger(row.ledger));
  return found;
}

/** Writes ledgers (pruned to what the catalog can still need) and deletes those of `removed` people. */
export async function writeLedgers(
  client: Client,
  ledgers: ReadonlyMap<string, Ledger>,
  removed: readonly string[],
  now: number,
  catalog: CompiledCatalog | undefined,
): Promise<void> {
  if (removed.length > 0) await client.query('DELETE FROM ledgers WHERE person = ANY($1::text[])', [removed]);
  if (ledgers.size === 0) return;
  const people = [...ledgers.keys()];
  const texts = [...ledgers.values()].map((ledger) => JSON.stringify(catalog ? prune(ledger, catalog, now) : ledger));
  await client.query(
    `INSERT INTO ledgers (person, ledger, updated_ms) SELECT p, l, $3 FROM unnest($1::text[], $2::text[]) AS u(p, l)
     ON CONFLICT (person) DO UPDATE SET ledger = excluded.ledger, updated_ms = excluded.updated_ms`,
    [people, texts, now],
  );
}

/** A collected message event's entry in its person's ledger; a message id no catalog could hold records nothing. */
export function recordEvent(ledger: Ledger, messageId: string, kind: LedgerEntryKind, at: number, eventId: string): Ledger {
  try {
    // The event id as the "tab" keeps two shows in the same millisecond apart.
    return record(ledger, { messageId, type: kind, at, tab: eventId.slice(0, 64) });
  } catch (error) {
    if (error instanceof TypeError) return ledger;
    throw error;
  }
}
