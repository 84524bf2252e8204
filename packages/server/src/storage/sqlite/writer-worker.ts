// The writer thread: the one connection that writes to the database. The HTTP thread reads, parses and
// validates requests while this one stores batches and runs decide, so the two use two cores.
import { parentPort, workerData } from 'node:worker_threads';
import type { CompiledCatalog } from '@beckon/rules';
import { createDecider } from './decide.js';
import { groupCommit } from './group-commit.js';
import { openSqliteParts, type SqliteParts } from './parts.js';
import type { WriterData, WriterReply, WriterRequest } from './writer.js';

const { file, catalogJson, closed } = workerData as WriterData;
const port = parentPort!;
// Without a catalog (openStore), ledgers keep everything and decide shows nothing.
let catalog = JSON.parse(catalogJson ?? '{"v":1,"patterns":[],"messages":[]}') as CompiledCatalog;

let storage: SqliteParts | undefined;
let openError: unknown;
try {
  storage = openSqliteParts(file, catalogJson === null ? undefined : () => catalog);
} catch (error) {
  openError = error;
}
// Each batch in a savepoint of the group's transaction: all of it, or nothing.
const storeRows = storage && groupCommit(storage.db, storage.events.writeRows);
const decide = storage && createDecider(storage.db, storage.events, storage.ledgers);

const reply = (message: WriterReply) => port.postMessage(message);

async function answer(request: Exclude<WriterRequest, { type: 'catalog' | 'close' }>): Promise<unknown> {
  if (openError !== undefined) throw openError;
  if (request.type === 'batch') return storeRows!(request.rows, request.receivedMs);
  return decide!(request.request, catalog, request.now);
}

port.on('message', (request: WriterRequest) => {
  if (request.type === 'catalog') {
    catalog = JSON.parse(request.catalogJson) as CompiledCatalog;
  } else if (request.type === 'close') {
    // After the group commit already scheduled (immediates run in order), so nothing sent before is lost.
    setImmediate(() => {
      if (storage?.db.open) storage.db.close();
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
