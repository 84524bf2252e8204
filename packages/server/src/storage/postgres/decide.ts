import { emptyLedger, type CompiledCatalog } from '@beckon/rules';
import { visitLedgers, type DecideRequest, type Visit } from '../../decide.js';
import { anonymousPerson, userPerson } from '../rows.js';
import { lockPeople, readLedgers, writeLedgers } from './ledgers.js';
import { transaction, type Pool } from './pool.js';

/**
 * Records a decide's visit on PostgreSQL: the visitor's advisory locks (anonymous id, then their user)
 * are held from reading the ledger to writing it back, so visits and batches for one visitor on any
 * number of processes run one after the other and no show or page view is lost.
 */
export function createVisitRecorder(pool: Pool, catalog: () => CompiledCatalog | undefined) {
  return (request: DecideRequest, now: number): Promise<Visit> =>
    transaction(pool, async (client) => {
      const anonymous = anonymousPerson(request.anonymousId);
      await lockPeople(client, [anonymous]);
      let person = request.userId ? userPerson(request.userId) : anonymous;
      if (!request.userId) {
        const { rows } = await client.query<{ user_id: string }>(
          'SELECT user_id FROM identity_links WHERE anonymous_id = $1 ORDER BY time_ms, seq LIMIT 1',
          [request.anonymousId],
        );
        if (rows[0]) person = userPerson(rows[0].user_id);
      }
      const identified = person !== anonymous;
      if (identified) await lockPeople(client, [person]);
      const ledgers = await readLedgers(client, identified ? [person, anonymous] : [person]);
      const visitor = {
        person,
        identified,
        ledger: ledgers.get(person) ?? emptyLedger(),
        anonymousLedger: identified ? (ledgers.get(anonymous) ?? emptyLedger()) : undefined,
      };
      const { visit, write } = visitLedgers(request, visitor, now);
      if (write) await writeLedgers(client, new Map([[person, write]]), [], now, catalog());
      return visit;
    });
}
