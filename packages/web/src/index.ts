// @beckon/web: the browser SDK. Importing it does nothing; `createBeckon` starts it.
import { startBeckon } from './shell.js';
import type { Beckon, BeckonOptions } from './types.js';

/**
 * Starts Beckon in this page: tracks page views, decides which messages to show, shows them with
 * `<beckon-message>` (or hands them to `onMessage`), and records what the visitor does. Never throws;
 * call it in the browser (in Node it returns an instance that does nothing).
 */
export function createBeckon(options: BeckonOptions = {}): Beckon {
  // The compiler (picomatch, zod/mini) and the renderer (Lit, <beckon-message>) are separate chunks for bundlers,
  // loaded only when needed: for authored catalogs, and when a message will or may show.
  return startBeckon(options, { loadCompiler: () => import('./compiler.js'), loadElements: () => import('./elements.js') });
}

export { VERSION } from './version.js';
export type { Beckon, BeckonGlobal, Consent, BeckonLimits, BeckonOptions, ExplainOverrides, ExplainReason, Explanation, MessageControls, MessageHandler } from './types.js';
