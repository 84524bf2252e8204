// What `pnpm mutate` tests for each package: its own unit tests, plus the end-to-end tests that
// drive it in-process (a test that runs the code in a child process cannot kill a mutant: the
// mutant is switched on in the test's own process only).
export const MUTATED_PACKAGES = {
  rules: { tests: ['packages/rules/src/**/*.test.ts'] },
  engine: { tests: ['packages/engine/src/**/*.test.ts'] },
  tracking: { tests: ['packages/tracking/src/**/*.test.ts'] },
  server: { tests: ['packages/server/src/**/*.test.ts', 'test/e2e/server-*.test.ts'] },
};
