// The catalog compiler, as its own entry: a chunk for bundlers and `beckon-compiler.min.js` beside
// `beckon.min.js`, loaded only for catalogs that are not compiled (it brings picomatch and zod/mini).
import { compileCatalog, parseCatalog, type CompiledCatalog } from '@beckon/rules';
import type { Explanation } from './types.js';

/** An authored catalog compiled: its valid messages, and one `invalid` explanation per message left out. */
export interface CompiledAuthored {
  compiled: CompiledCatalog;
  invalid: Explanation[];
  /** The first problem as a sentence, for the console; absent when every message is valid. */
  problem?: string;
}

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
export interface Compiler {
  compileAuthored: typeof compileAuthored;
}
