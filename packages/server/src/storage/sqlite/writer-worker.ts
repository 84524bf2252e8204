// The writer thread: the one connection that writes to the database. The HTTP thread reads, parses and
// validates requests while this one stores batches and records decide's visits (decisions themselves are
// evaluated on the decide thread), so a slow decision never holds up storing events.
import { parentPort, workerData } from 'node:worker_threads';
import type { CompiledCatalog } from '@beckon/rules';
import { createVisitRecorder } from './decide.js';
import { groupCommit } from './group-commit.js';
import { openSqliteParts, type SqliteParts } from './parts.js';
import { createPeopleStore } from './people.js';
import { createSweeper } from './retention.js';
import type { EventRow } from '../rows.js';
import type { WriterData, WriterReply, WriterRequest } from './writer.js';

const { file, catalogJson, closed, destinations } = workerData as WriterData;
const port = parentPort!;
// Without a catalog (openStore), ledgers keep everything and decide shows nothing.
let catalog = JSON.parse(catalogJson ?? '{"v":1,"patterns":[],"messages":[]}') as CompiledCatalog;

/** The open database and what writes through it; undefined until the database could be opened. */
let opened:
  | {
      storage: SqliteParts;
      storeRows: (rows: EventRow[], receivedMs: number) => Promise<unknown>;
      recordVisit: ReturnType<typeof createVisitRecorder>;
      people: ReturnType<typeof createPeopleStore>;
      sweeper: ReturnType<typeof createSweeper>;
    }
  | undefined;

/** Opens the database if it is not open yet; throws (for this request) while it cannot be, so a later one tries again. */
function open(): NonNullable<typeof opened> {
  if (opened) return opened;
  const storage = openSqliteParts(file, catalogJson === null ? undefined : () => catalog, destinations);
  // Each batch in a savepoint of the group's transaction: all of it, or nothing.
  const storeRows = groupCommit(storage.db, storage.events.writeRows);
  return (opened = {
    storage,
    storeRows,
    recordVisit: createVisitRecorder(storage.db, storage.events, storage.ledgers),
    people: createPeopleStore(storage.db),
    sweeper: createSweeper(storage.db),
  });
}
try {
  // At once, so the first request does not wait for it.
  open();
} catch {
  // Locked or unreadable for now: the first request tries again and answers with the reason.
}

const reply = (message: WriterReply) => port.postMessage(message);

async function answer(request: Exclude<WriterRequest, { type: 'catalog' | 'close' }>): Promise<unknown> {
  const { storeRows, recordVisit, people, sweeper } = open();
  if (request.type === 'batch') return storeRows(request.rows, request.receivedMs);
  if (request.type === 'visit') return recordVisit(request.request, request.now);
  // Between group commits (they run in one synchronous step), so it commits on its own.
  if (request.type === 'outboxDone') return opened!.storage.outbox.remove(request.ids);
  // After the group commit already scheduled (immediates run in order): batches sent before an erasure are
  // erased with it, and a sweep step waits its turn like a batch.
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (request.type === 'erase') return people.erase(request.ref, request.now, request.refuseUntil);
  return sweeper.step(request.policy, request.now);
}

port.on('message', (request: WriterRequest) => {
  if (request.type === 'catalog') {
    catalog = JSON.parse(request.catalogJson) as CompiledCatalog;
  } else if (request.type === 'close') {
    // After the group commit already scheduled (immediates run in order), so nothing sent before is lost.
    setImmediate(() => {
      if (opened?.storage.db.open) opened.storage.db.close();
      Atomics.store(closed, 0, 1);
      Atomics.notify(closed, 0);
      port.close();
    });
  } else {
    answer(request).then(
      (value) => reply({ id: request.id, ok: true, value }),
      (error: unknown) => {
        const { name, message, stack, code } = error as Error & { code?: string };
        reply({ id: request.id, ok: false, error: { name: String(name), message: String(message), stack, code } });
      },
    );
  }
});
