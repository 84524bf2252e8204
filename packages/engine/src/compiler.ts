// The catalog compiler for hosts that load authored catalogs: its own entry (`@beckon/engine/compiler`), loaded
// on demand, because it brings picomatch and zod/mini. The browser's `beckon-compiler.min.js` and React
// Native's client both load this one.
import { compileCatalog, parseCatalog } from '@beckon/rules';
import type { Explanation, LoadedCatalog } from './types.js';

/** Validates and compiles an authored catalog; a message with problems is left out and explained. */
export function compileAuthored(source: unknown): LoadedCatalog {
  const { messages, errors } = parseCatalog(source);
  const problems = new Map<string, string[]>();
  for (const { messageId, path, message } of errors) {
    const id = messageId ?? path.split('.')[0]!;
    problems.set(id, [...(problems.get(id) ?? []), message]);
  }
  const invalid = [...problems].map(([id, details]): Explanation => ({ id, show: false, reason: 'invalid', detail: details.join('; ') }));
  const problem = errors.length ? `${errors.length} problem(s) in the catalog leave ${problems.size} message(s) out; first: ${errors[0]!.message}` : undefined;
  return { compiled: compileCatalog(messages), invalid, problem };
}
