// `npm test` / `pnpm test`: bootstrap, then typecheck, lint, Node tests and browser tests, in that
// order, stopping at the first failure. Ends with one line adding up both runners.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { bin, ensureChromium, installDependencies, root, run } from './bootstrap.mjs';
import { ensurePostgres } from './postgres.mjs';

const results = path.join(root, '.test-results');
const totals = { passed: 0, failed: 0, skipped: 0 };

function finish(code) {
  if (totals.skipped > 0) {
    console.error(`\n${totals.skipped} test(s) were skipped. Skipped tests are not allowed: make them run or delete them.`);
    code ||= 1;
  }
  console.log(`\n${totals.passed} passed, ${totals.failed} failed`);
  process.exit(code);
}

function step(name, command, args, countsFile, readCounts) {
  console.log(`\n── ${name} ──`);
  if (countsFile) rmSync(countsFile, { force: true });
  const code = run(command, args);
  if (countsFile && existsSync(countsFile)) {
    const counts = readCounts(JSON.parse(readFileSync(countsFile, 'utf8')));
    totals.passed += counts.passed;
    totals.failed += counts.failed;
    totals.skipped += counts.skipped;
  }
  if (code !== 0) {
    console.error(`\n${name} failed.`);
    finish(code);
  }
}

installDependencies();
ensureChromium();
await ensurePostgres();
mkdirSync(results, { recursive: true });

step('build', process.execPath, ['scripts/build.mjs']);
step('typecheck', process.execPath, ['scripts/typecheck.mjs']);
step('lint', bin('eslint'), ['.', '--max-warnings=0']);
const vitestJson = path.join(results, 'vitest.json');
step('node tests (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`], vitestJson, (r) => ({
  passed: r.numPassedTests,
  failed: r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0),
  skipped: r.numPendingTests + r.numTodoTests,
}));
const browserJson = path.join(results, 'browser.json');
step('browser tests (web-test-runner, Chromium)', bin('web-test-runner'), [], browserJson, (r) => r);
finish(0);
