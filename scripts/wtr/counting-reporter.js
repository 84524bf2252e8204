// @ts-check
// Writes how many browser tests passed, failed and were skipped, so `pnpm test` can add them up.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * @param {string} outFile where the JSON counts go
 * @returns {import('@web/test-runner').Reporter}
 */
export function countingReporter(outFile) {
  return {
    onTestRunFinished({ sessions }) {
      const counts = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        const before = counts.passed + counts.failed + counts.skipped;
        if (session.testResults) count(session.testResults, counts);
        const counted = counts.passed + counts.failed + counts.skipped - before;
        // A file that failed to load, or threw outside a test, counts as one failure.
        if ((session.errors?.length ?? 0) > 0 || (!session.passed && counted === 0)) counts.failed += 1;
      }
      mkdirSync(path.dirname(outFile), { recursive: true });
      writeFileSync(outFile, JSON.stringify(counts));
    },
  };
}

/**
 * @param {import('@web/test-runner').TestSuiteResult} suite
 * @param {{ passed: number, failed: number, skipped: number }} counts
 */
function count(suite, counts) {
  for (const test of suite.tests) {
    if (test.skipped) counts.skipped += 1;
    else if (test.passed) counts.passed += 1;
    else counts.failed += 1;
  }
  for (const child of suite.suites) count(child, counts);
}
