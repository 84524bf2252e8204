// Type-checks every package, the tests and the docs in one TypeScript program (no emit), then the examples, whose
// JSX needs compiler options of their own.
import { bin, runOrExit } from './bootstrap.mjs';

runOrExit(bin('tsc'), ['-p', 'tsconfig.json']);
runOrExit(bin('tsc'), ['-p', 'docs/examples/react/tsconfig.json']);
