// @beckon/web: the browser SDK. Importing it does nothing; `createBeckon` starts it.
export type { Beckon, BeckonGlobal, BeckonLimits, BeckonOptions, ExplainOverrides, ExplainReason, Explanation, MessageControls, MessageHandler } from './types.js';
