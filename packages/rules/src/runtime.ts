// `@beckon/rules/runtime`: evaluates a compiled catalog and keeps the ledger. No picomatch, no zod:
// this is what a browser bundles when its catalog arrives compiled.
export type * from './types.js';
export { isCompiledCatalog } from './compiled.js';
export type { CompiledCap, CompiledCatalog, CompiledFrequency, CompiledMessage, CompiledPattern, CompiledRules, CompiledTrigger, PatternSubject } from './compiled.js';
export { evaluate } from './evaluate.js';
export type { Decision, EvaluateContext, EvaluateOptions, Evaluation, PendingTrigger, Skip } from './evaluate.js';
export { addRecord, emptyLedger, historyOf, mergeLedgers, parseLedger, record } from './ledger.js';
export type { Ledger, LedgerRecord, LedgerSession, MessageHistory } from './ledger.js';
export { prune } from './prune.js';
export { DEFAULT_SESSION_TIMEOUT_MS, recordPageView, sessionAt } from './session.js';
export type { SessionOptions } from './session.js';
export { holdoutBucket } from './holdout.js';
export { normalizePath } from './url.js';
export { assignVariant } from './variant.js';
export type { WeightedVariant } from './variant.js';
