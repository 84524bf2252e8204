// The catalog compiler, as its own entry: a chunk for bundlers and `beckon-compiler.min.js` beside
// `beckon.min.js`, loaded only for catalogs that are not compiled (it brings picomatch and zod/mini).
import type { Explanation, LoadedCatalog } from '@beckon/engine';
import { compileCatalog, parseCatalog } from '@beckon/rules';

/** An authored catalog compiled: its valid messages, and one `invalid` explanation per message left out. */
export type CompiledAuthored = LoadedCatalog;

/** Validates and compiles an authored catalog; a message with problems is left out and explained. */
export function compileAuthored(source: unknown): CompiledAuthored {
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

/** What the SDK loads on demand. */
export type { Compiler } from '@beckon/engine';
