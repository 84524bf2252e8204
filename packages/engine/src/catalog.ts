// Getting the catalog: inline or fetched; compiled as it is, or authored and compiled by the compiler,
// which is loaded only then.
import { isCompiledCatalog } from '@beckon/rules/runtime';
import type { CompiledAuthored, Compiler } from './compiler.js';
import type { Log } from './log.js';
import type { BeckonOptions } from './types.js';

/** Loads the catalog the options name, or resolves to undefined after logging why it could not. */
export async function loadCatalog(options: BeckonOptions, loadCompiler: () => Promise<Compiler>, log: Log): Promise<CompiledAuthored | undefined> {
  const url = options.catalogUrl ?? (options.endpoint && `${options.endpoint.replace(/\/+$/, '')}/v1/catalog`);
  let source: unknown = options.catalog;
  try {
    if (source === undefined) {
      if (!url) throw new Error('pass `catalog`, `catalogUrl` or `endpoint`');
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${url} answered ${response.status}`);
      source = await response.json();
    }
    if (isCompiledCatalog(source)) return { compiled: source, invalid: [] };
    const loaded = (await loadCompiler()).compileAuthored(source);
    if (loaded.problem) log('messages', loaded.problem);
    return loaded;
  } catch (error) {
    log('catalog', 'no catalog, so no message shows', error);
    return undefined;
  }
}
