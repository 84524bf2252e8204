// Type-checks every package, the tests and the docs in one TypeScript program (no emit).
import { bin, runOrExit } from './bootstrap.mjs';

runOrExit(bin('tsc'), ['-p', 'tsconfig.json']);
