import { compileCatalog, parseCatalog, type CompiledCatalog } from '@beckon/rules';

/** One problem in a catalog file: where it is (`messages[2].pages.include[0]`, `''` for the whole file) and a sentence starting with that path. */
export interface CatalogProblem {
  path: string;
  message: string;
}

/** The result of loading a catalog file's text: compiled, or every problem found. */
export type LoadedCatalog = { ok: true; compiled: CompiledCatalog } | { ok: false; errors: CatalogProblem[] };

/** Parses, validates and compiles the text of a catalog file. A catalog with any error is not served. Never throws. */
export function loadCatalog(text: string): LoadedCatalog {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [{ path: '', message: `not valid JSON: ${(error as Error).message}` }] };
  }
  const parsed = parseCatalog(input);
  if (parsed.errors.length > 0) return { ok: false, errors: parsed.errors.map(({ path, message }) => ({ path, message })) };
  try {
    return { ok: true, compiled: compileCatalog(parsed.messages) };
  } catch (error) {
    // compileCatalog names the path at the start of its TypeError's message.
    if (!(error instanceof TypeError)) throw error;
    return { ok: false, errors: [{ path: /^(messages\[\d+\][^:]*):/.exec(error.message)?.[1] ?? '', message: error.message }] };
  }
}
