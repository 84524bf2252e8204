// The decide thread: evaluates catalogs for POST /v1/decide, apart from the HTTP thread (which would stop
// answering everyone during a slow evaluation) and from the writer thread (which would stop storing).
import { parentPort, workerData } from 'node:worker_threads';
import type { CompiledCatalog } from '@beckon/rules';
import { decideFor } from '../decide.js';
import type { EvaluatorData, EvaluatorReply, EvaluatorRequest } from './evaluator.js';

const port = parentPort!;
let catalog = JSON.parse((workerData as EvaluatorData).catalogJson) as CompiledCatalog;

port.on('message', (request: EvaluatorRequest) => {
  if (request.type === 'catalog') {
    catalog = JSON.parse(request.catalogJson) as CompiledCatalog;
    return;
  }
  let reply: EvaluatorReply;
  try {
    reply = { id: request.id, ok: true, value: decideFor(catalog, request.request, request.visit, request.now) };
  } catch (error) {
    const { name, message, stack } = error as Error;
    reply = { id: request.id, ok: false, error: { name: String(name), message: String(message), stack } };
  }
  port.postMessage(reply);
});
