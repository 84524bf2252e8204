import { visitLedgers, type DecideRequest, type Visit } from '../../decide.js';
import { anonymousPerson } from '../rows.js';
import type { BeckonDatabase } from './database.js';
import type { EventStore } from './events.js';
import type { LedgerStore } from './ledgers.js';

/** Records a decide's visit over the SQLite ledgers: read and write back in one IMMEDIATE transaction. */
export function createVisitRecorder(db: BeckonDatabase, events: EventStore, ledgers: LedgerStore): (request: DecideRequest, now: number) => Visit {
  const visit = db.transaction((request: DecideRequest, now: number): Visit => {
    const person = events.personOf(request.anonymousId, request.userId);
    const anonymous = anonymousPerson(request.anonymousId);
    const identified = person !== anonymous;
    const visitor = { person, identified, ledger: ledgers.read(person), anonymousLedger: identified ? ledgers.read(anonymous) : undefined };
    const { visit, write } = visitLedgers(request, visitor, now);
    if (write) ledgers.write(person, write, now);
    return visit;
  });
  // IMMEDIATE: the ledger is read and written back without another writer in between.
  return (request, now) => visit.immediate(request, now);
}
