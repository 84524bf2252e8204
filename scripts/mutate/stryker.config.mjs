// StrykerJS options for `pnpm mutate <package>` (scripts/mutate.mjs sets BECKON_MUTATE_PACKAGE).
import { fileURLToPath } from 'node:url';

const pkg = process.env.BECKON_MUTATE_PACKAGE;
if (!pkg) throw new Error('BECKON_MUTATE_PACKAGE is not set: run `pnpm mutate <package>`.');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: [`packages/${pkg}/src/**/*.ts`, `!packages/${pkg}/src/**/*.test.ts`, `!packages/${pkg}/src/**/*.bench.ts`],
  // With pnpm, Stryker cannot find its plugins beside itself: name them by path.
  plugins: ['@stryker-mutator/vitest-runner', '@stryker-mutator/typescript-checker']
    .map((plugin) => fileURLToPath(import.meta.resolve(plugin))),
  testRunner: 'vitest',
  vitest: { configFile: 'scripts/mutate/vitest.config.ts', related: false },
  checkers: ['typescript'],
  tsconfigFile: `packages/${pkg}/tsconfig.json`,
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  // A static mutant (a module-level constant) would need every test run again for itself.
  ignoreStatic: true,
  // Two shared cores: one test process and one type checker at a time.
  concurrency: 1,
  timeoutMS: 10_000,
  incremental: true,
  incrementalFile: `.cache/mutate/${pkg}.incremental.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `.cache/mutate/${pkg}.html` },
  jsonReporter: { fileName: `.cache/mutate/${pkg}.json` },
  clearTextReporter: { allowColor: true, allowEmojis: false, reportTests: false, reportMutants: true, reportScoreTable: true },
  tempDirName: `.cache/stryker-tmp-${pkg}`,
  cleanTempDir: 'always',
  ignorePatterns: ['.cache', '.test-results', 'docs/site', '.demo', '**/dist'],
};
