import type { CompiledCatalog } from '@beckon/rules';
import { decideWithLedgers, type DecideRequest, type DecideResponse } from '../../decide.js';
import { anonymousPerson } from '../rows.js';
import type { BeckonDatabase } from './database.js';
import type { EventStore } from './events.js';
import type { LedgerStore } from './ledgers.js';

/** Decide over the SQLite ledgers: read, evaluate and write back in one IMMEDIATE transaction. */
export function createDecider(
  db: BeckonDatabase,
  events: EventStore,
  ledgers: LedgerStore,
): (request: DecideRequest, catalog: CompiledCatalog, now: number) => DecideResponse {
  const decide = db.transaction((request: DecideRequest, catalog: CompiledCatalog, now: number): DecideResponse => {
    const person = events.personOf(request.anonymousId, request.userId);
    const anonymous = anonymousPerson(request.anonymousId);
    const identified = person !== anonymous;
    const visitor = { person, identified, ledger: ledgers.read(person), anonymousLedger: identified ? ledgers.read(anonymous) : undefined };
    const { response, write } = decideWithLedgers(request, catalog, visitor, now);
    if (write) ledgers.write(person, write, now);
    return response;
  });
  // IMMEDIATE: the ledger is read and written back without another writer in between.
  return (request, catalog, now) => decide.immediate(request, catalog, now);
}
