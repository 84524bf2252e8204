// Export on SQLite: keyset pages over the events' arrival order (seq, the rowid), each page a short
// read on the calling thread's connection, so no long-held statement blocks metrics or health.
import type { TimeRange } from '../contract.js';
import { EXPORT_PAGE_SIZE, type ExportedEvent, type ExportPages } from '../export.js';
import type { BeckonDatabase } from './database.js';

/** Most rows one page may step over: a range that matches few events never reads the whole table in one go. */
const WINDOW = 50_000;

export function createExportQuery(db: BeckonDatabase) {
  const page = db.prepare(`SELECT seq, body, received_ms AS receivedMs FROM events
    WHERE seq > @after AND seq <= @until AND time_ms >= @from AND time_ms < @to ORDER BY seq LIMIT @limit`);
  const last = db.prepare('SELECT MAX(seq) FROM events').pluck();

  /** The events of `range` stored before the export started, in the order they were stored. */
  return async function* exportEvents(range: TimeRange, pageSize = EXPORT_PAGE_SIZE): ExportPages {
    const end = (last.get() as number | null) ?? 0;
    let after = 0;
    while (after < end) {
      const until = Math.min(end, after + WINDOW);
      const rows = page.all({ after, until, from: range.from, to: range.to, limit: pageSize }) as Array<ExportedEvent & { seq: number }>;
      // A full page may stop inside the window; a short one has read all of it.
      after = rows.length === pageSize ? rows[rows.length - 1]!.seq : until;
      if (rows.length > 0) yield rows.map(({ body, receivedMs }) => ({ body, receivedMs }));
      // Let requests in: a page is one synchronous read on this thread.
      else await new Promise((resolve) => setImmediate(resolve));
    }
  };
}
