// The full package's evaluate: also takes parsed messages (an inline catalog) and compiles them once.
import { compileCatalog } from './compile-catalog.js';
import { isCompiledCatalog, type CompiledCatalog } from './compiled.js';
import { evaluate as evaluateCompiled, type EvaluateContext, type EvaluateOptions, type Evaluation } from './evaluate.js';
import type { Ledger } from './ledger.js';
import type { Message } from './types.js';

// Compiled once per messages array; treat the array as immutable once evaluated.
const compiled = new WeakMap<readonly Message[], CompiledCatalog>();

/**
 * `evaluate` over a compiled catalog or over parsed messages (from `parseCatalog`), which are compiled on
 * first use and cached per array. See the runtime's `evaluate` for the context, options and result.
 */
export function evaluate(catalog: CompiledCatalog | readonly Message[], context: EvaluateContext, ledger: Ledger, now: number, options?: EvaluateOptions): Evaluation {
  if (isCompiledCatalog(catalog) || !Array.isArray(catalog)) return evaluateCompiled(catalog as CompiledCatalog, context, ledger, now, options);
  let ready = compiled.get(catalog);
  if (!ready) {
    ready = compileCatalog(catalog);
    compiled.set(catalog, ready);
  }
  return evaluateCompiled(ready, context, ledger, now, options);
}
