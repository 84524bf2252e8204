// The retention sweep on SQLite, in bounded steps on the writer thread: each step reads at most
// SWEEP_STEP_ROWS events in arrival order from where the last one stopped, so a step costs the same
// however large the file is, and batches are stored between steps.
import { SWEEP_STEP_ROWS, emptySweep, type RetentionPolicy, type SweepStep } from '../people.js';
import type { BeckonDatabase } from './database.js';

interface ScannedRow {
  seq: number;
  anonymous_id: string;
  user_id: string | null;
  t: number;
}

/**
 * How long one step may spend deleting, in ms, so a step that finds many expired events stops early
 * rather than hold the writer (and the batches waiting for it) longer. It does not bound writing back
 * the pages those deletes dirtied, at commit and checkpoint: see the README's numbers of the sweep.
 */
export const SWEEP_STEP_BUDGET_MS = 100;

/** The sweep over an open database; it remembers where its pass through the events stands. */
export function createSweeper(db: BeckonDatabase, stepRows = SWEEP_STEP_ROWS, budgetMs = SWEEP_STEP_BUDGET_MS) {
  // Events have no index on time: arrival order is walked instead, a step at a time.
  // A pass ends at the last event stored when it began: events arriving meanwhile are new, and a pass
  // chasing them under steady ingest would never end.
  const scan = db.prepare('SELECT seq, anonymous_id, user_id, COALESCE(time_ms, received_ms) AS t FROM events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?');
  const lastSeq = db.prepare('SELECT COALESCE(MAX(seq), 0) FROM events').pluck();
  const linked = db.prepare('SELECT 1 FROM identity_links WHERE anonymous_id = ? LIMIT 1').pluck();
  const remove = db.prepare('DELETE FROM events WHERE seq = ?');
  // A swept anonymous person's row goes once none of their events is left (found through events_unlinked).
  const removePerson = db.prepare(`
    DELETE FROM people WHERE key = 'a:' || @id AND owner IS NULL
      AND NOT EXISTS (SELECT 1 FROM events WHERE anonymous_id = @id AND user_id IS NULL AND person IS NOT NULL)`);
  const expiredErasures = db.prepare('DELETE FROM erasures WHERE until_ms <= ?');
  // Ledgers of anonymous people never linked, with no event left and no visit since the cut-off.
  const expiredLedgers = db.prepare(`
    DELETE FROM ledgers WHERE person IN (
      SELECT person FROM ledgers l
      WHERE person >= 'a:' AND person < 'a;' AND updated_ms < @cut
        AND NOT EXISTS (SELECT 1 FROM identity_links WHERE anonymous_id = substr(l.person, 3))
        AND NOT EXISTS (SELECT 1 FROM events WHERE anonymous_id = substr(l.person, 3) AND user_id IS NULL AND person IS NOT NULL)
      LIMIT @limit)`);

  let cursor = 0;
  /** The last event of the pass under way; undefined between passes. */
  let end: number | undefined;

  const step = db.transaction((policy: RetentionPolicy, now: number): SweepStep => {
    const result = emptySweep(false);
    result.deleted.erasures = expiredErasures.run(now).changes;
    const eventsCut = policy.eventsMs === undefined ? -Infinity : now - policy.eventsMs;
    const anonymousCut = policy.anonymousMs === undefined ? -Infinity : now - policy.anonymousMs;
    end ??= lastSeq.get() as number;
    const rows = scan.all(cursor, end, stepRows) as ScannedRow[];
    const touched = new Set<string>();
    const linkedCache = new Map<string, boolean>();
    const isLinked = (id: string) => {
      let found = linkedCache.get(id);
      if (found === undefined) linkedCache.set(id, (found = linked.get(id) !== undefined));
      return found;
    };
    const deadline = performance.now() + budgetMs;
    let stoppedAt: number | undefined;
    for (const row of rows) {
      const expired = row.t < eventsCut || (row.t < anonymousCut && row.user_id === null && !isLinked(row.anonymous_id));
      if (!expired) continue;
      remove.run(row.seq);
      result.deleted.events += 1;
      if (row.user_id === null) touched.add(row.anonymous_id);
      if (performance.now() > deadline) {
        stoppedAt = row.seq;
        break;
      }
    }
    for (const id of touched) removePerson.run({ id });
    if (stoppedAt !== undefined) {
      cursor = stoppedAt;
      return result;
    }
    if (rows.length === stepRows) {
      cursor = rows[rows.length - 1]!.seq;
      return result;
    }
    // The end of the events: ledgers last, in steps of their own, then the pass is done.
    const ledgerCut = Math.max(eventsCut, anonymousCut);
    if (ledgerCut > -Infinity) result.deleted.ledgers = expiredLedgers.run({ cut: ledgerCut, limit: stepRows }).changes;
    if (result.deleted.ledgers === stepRows) return result;
    cursor = 0;
    end = undefined;
    result.done = true;
    return result;
  });

  return {
    /** One bounded step: deletes what has expired at `now` under `policy` in the next slice of events. */
    step: (policy: RetentionPolicy, now: number): SweepStep => step.immediate(policy, now),
  };
}
