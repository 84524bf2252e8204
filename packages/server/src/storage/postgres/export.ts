// Export on PostgreSQL: a cursor in a read-only snapshot, fetched a page at a time on one connection.
// The scan is not sorted (a sort of a large range would spill to disk before the first row): rows come
// month partition by month partition, each in the table's order, and every event of the range once.
import type { TimeRange } from '../contract.js';
import { EXPORT_PAGE_SIZE, type ExportPages } from '../export.js';
import { connect, type Pool } from './pool.js';

export function createExportQuery(pool: Pool) {
  return async function* exportEvents(range: TimeRange, pageSize = EXPORT_PAGE_SIZE): ExportPages {
    // Numbers checked here go into the statement: DECLARE takes no parameters.
    for (const value of [range.from, range.to, pageSize]) {
      if (!Number.isSafeInteger(value)) throw new TypeError(`export range and page size must be whole numbers, got ${value}`);
    }
    const client = await connect(pool);
    let broken: Error | undefined;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await client.query(`DECLARE beckon_export NO SCROLL CURSOR FOR
        SELECT body, received_ms AS "receivedMs" FROM events WHERE time_ms >= ${range.from} AND time_ms < ${range.to}`);
      for (;;) {
        const { rows } = await client.query<{ body: string; receivedMs: number }>(`FETCH ${pageSize} FROM beckon_export`);
        if (rows.length > 0) yield rows;
        if (rows.length < pageSize) break;
      }
    } finally {
      // Also when the consumer stops early (a client gone): the snapshot ends, the connection goes back.
      await client.query('ROLLBACK').catch((error: Error) => (broken ??= error));
      client.release(broken);
    }
  };
}
