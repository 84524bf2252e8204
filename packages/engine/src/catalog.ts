// Getting the catalog: inline or fetched; compiled as it is, or authored and compiled by the compiler,
// which is loaded only then.
import { isCompiledCatalog } from '@beckon/rules/runtime';
import type { Log } from './log.js';
import type { LoadedCatalog } from './types.js';

/** Where the catalog comes from: give `catalog`, `catalogUrl` or `endpoint`. */
export interface CatalogSource {
  /** The messages, inline: a compiled catalog, or an authored one (which needs the compiler). */
  catalog?: unknown;
  /** Where to fetch the catalog (compiled or authored). Default: `${endpoint}/v1/catalog`. */
  catalogUrl?: string;
  /** The Beckon server's base URL. */
  endpoint?: string;
}

/** Compiles an authored catalog: `@beckon/web`'s compiler chunk, or `compileCatalog` from `@beckon/rules`. */
export interface Compiler {
  compileAuthored(source: unknown): LoadedCatalog;
}

/** What loading needs from the host. */
export interface CatalogLoader {
  /** Fetches the catalog's URL (the global `fetch` in browsers, Node and React Native). */
  fetch: typeof fetch;
  /** Loads the compiler, for authored catalogs only. */
  loadCompiler(): Promise<Compiler>;
  log: Log;
}

/** Loads the catalog the options name, or resolves to undefined after logging why it could not. */
export async function loadCatalog(options: CatalogSource, { fetch, loadCompiler, log }: CatalogLoader): Promise<LoadedCatalog | undefined> {
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
