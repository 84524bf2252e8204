import type { BeckonDatabase } from './database.js';

/**
 * Group commit: calls of `write` that arrive in the same turn of the event loop share one
 * transaction, each in its own savepoint, so one failing call takes back only its own writes.
 * Concurrent requests then pay for one commit (and one write of each touched page) instead of one each.
 * Returns the write as a function resolving (after the commit) with its result.
 */
export function groupCommit<A extends unknown[], R>(db: BeckonDatabase, write: (...args: A) => R): (...args: A) => Promise<R> {
  type Pending = { args: A; resolve(result: R): void; reject(error: unknown): void };
  let queue: Pending[] = [];
  // Nested inside the outer transaction, this becomes a savepoint of its own.
  const savepoint = db.transaction((...args: A) => write(...args));
  const commitAll = db.transaction((items: Pending[]) =>
    items.map((item): { ok: true; value: R } | { ok: false; error: unknown } => {
      try {
        return { ok: true, value: savepoint(...item.args) };
      } catch (error) {
        return { ok: false, error };
      }
    }),
  );

  function flush(): void {
    const items = queue;
    queue = [];
    let outcomes;
    try {
      outcomes = commitAll.immediate(items);
    } catch (error) {
      for (const item of items) item.reject(error);
      return;
    }
    outcomes.forEach((outcome, i) => (outcome.ok ? items[i]!.resolve(outcome.value) : items[i]!.reject(outcome.error)));
  }

  return (...args: A) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ args, resolve, reject });
      if (queue.length === 1) setImmediate(flush);
    });
}
