// `@beckon/rules`: everything — the runtime plus validation (zod/mini) and the compiler (picomatch).
export * from './runtime.js';
export { evaluate, prune } from './evaluate-inline.js';
export { parseDuration } from './duration.js';
export { parseCatalog } from './parse-catalog.js';
export type { CatalogError, ParsedCatalog } from './parse-catalog.js';
export { compileCatalog } from './compile-catalog.js';
export { matchPage, matchScreen } from './match-page.js';
export type { MatchOptions } from './match-page.js';
export { PatternError } from './pattern.js';
export { MESSAGE_ID } from './id.js';
