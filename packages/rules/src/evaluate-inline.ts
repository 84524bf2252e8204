// The full package's evaluate and prune: they also take parsed messages (an inline catalog), compiled once.
import { compileCatalog } from './compile-catalog.js';
import type { CompiledCatalog } from './compiled.js';
import { evaluate as evaluateCompiled, type EvaluateContext, type EvaluateOptions, type Evaluation } from './evaluate.js';
import type { Ledger } from './ledger.js';
import { prune as pruneCompiled } from './prune.js';
import type { Message } from './types.js';

// Compiled once per messages array; treat the array as immutable once evaluated.
const compiled = new WeakMap<readonly Message[], CompiledCatalog>();

/** The compiled form of a catalog given either way. */
function compiledOf(catalog: CompiledCatalog | readonly Message[]): CompiledCatalog {
  if (!Array.isArray(catalog)) return catalog as CompiledCatalog;
  let ready = compiled.get(catalog);
  if (!ready) compiled.set(catalog, (ready = compileCatalog(catalog)));
  return ready;
}

/**
 * `evaluate` over a compiled catalog or over parsed messages (from `parseCatalog`), which are compiled on
 * first use and cached per array. See the runtime's `evaluate` for the context, options and result.
 */
export function evaluate(catalog: CompiledCatalog | readonly Message[], context: EvaluateContext, ledger: Ledger, now: number, options?: EvaluateOptions): Evaluation {
  return evaluateCompiled(compiledOf(catalog), context, ledger, now, options);
}

/** `prune` with a compiled catalog or the parsed messages. See the runtime's `prune`. */
export function prune(ledger: Ledger, catalog: CompiledCatalog | readonly Message[], now: number): Ledger {
  return pruneCompiled(ledger, compiledOf(catalog), now);
}
