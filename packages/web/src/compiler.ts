// The catalog compiler, as its own entry: a chunk for bundlers and `beckon-compiler.min.js` beside
// `beckon.min.js`, loaded only for catalogs that are not compiled (it brings picomatch and zod/mini).
import type { LoadedCatalog } from '@beckon/engine';

/** An authored catalog compiled: its valid messages, and one `invalid` explanation per message left out. */
export type CompiledAuthored = LoadedCatalog;

export { compileAuthored } from '@beckon/engine/compiler';

/** What the SDK loads on demand. */
export type { Compiler } from '@beckon/engine';
