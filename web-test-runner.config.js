// @ts-check
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { cjsToEsmPlugin } from './scripts/wtr/cjs-to-esm-plugin.js';
import { countingReporter } from './scripts/wtr/counting-reporter.js';
import { defaultReporter } from '@web/test-runner';
import { chromiumArgs, chromiumPath } from './scripts/chromium.mjs';

/** Browser tests: every `*.browser.test.ts`, run in the system's headless Chromium. */
export default {
  files: ['packages/*/src/**/*.browser.test.ts', 'test/**/*.browser.test.ts'],
  nodeResolve: { exportConditions: ['source', 'browser', 'production'] },
  // Focus and keyboard tests need the page they run in to be the focused one.
  concurrency: 1,
  testFramework: { config: { timeout: 10_000 } },
  browserStartTimeout: 60_000,
  testsStartTimeout: 60_000,
  testsFinishTimeout: 180_000,
  plugins: [
    // picomatch ships CommonJS only; serve it as an ES module bundle.
    cjsToEsmPlugin(['picomatch']),
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.base.json' }),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: chromiumPath(), args: chromiumArgs() },
    }),
  ],
  reporters: [defaultReporter(), countingReporter('.test-results/browser.json')],
};
