// @beckon/engine: Beckon without a DOM. The host passes in the clock, storage, a renderer and where the visitor
// is; the engine decides, keeps the visitor's message history and session, fires event triggers, and tracks.
export { createEngine } from './engine.js';
export { loadCatalog, type CatalogLoader, type CatalogSource, type Compiler } from './catalog.js';
export { headlessRenderer } from './headless.js';
export { delayTrigger } from './triggers.js';
export { explainEvaluation, describeTrigger } from './explain.js';
export { LEDGER_KEY } from './ledger-store.js';
export { createLog, type Log } from './log.js';
export type {
  BeckonLimits,
  Engine,
  EngineOptions,
  ExplainOverrides,
  ExplainReason,
  Explanation,
  LedgerStorage,
  LoadedCatalog,
  MessageControls,
  MessageHandler,
  Place,
  Presented,
  Renderer,
  TriggerWaiter,
} from './types.js';
