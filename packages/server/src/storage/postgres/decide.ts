import { emptyLedger, type CompiledCatalog } from '@beckon/rules';
import { decideWithLedgers, type DecideRequest, type DecideResponse } from '../../decide.js';
import { anonymousPerson, userPerson } from '../rows.js';
import { lockPeople, readLedgers, writeLedgers } from './ledgers.js';
import { transaction, type Pool } from './pool.js';

/**
 * Decide on PostgreSQL: the visitor's advisory locks (anonymous id, then their user) are held from
 * reading the ledger to writing it back, so decides and batches for one visitor on any number of
 * processes run one after the other and no show or page view is lost.
 */
export function createDecider(pool: Pool, catalog: () => CompiledCatalog) {
  return (request: DecideRequest, now: number): Promise<DecideResponse> =>
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
      const current = catalog();
      const { response, write } = decideWithLedgers(request, current, visitor, now);
      if (write) await writeLedgers(client, new Map([[person, write]]), [], now, current);
      return response;
    });
}
