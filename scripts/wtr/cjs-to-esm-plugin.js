// @ts-check
// A @web/test-runner plugin that serves CommonJS-only packages (picomatch) as ES modules,
// bundled by esbuild on first request and kept in memory.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import path from 'node:path';

const PREFIX = '/__cjs__/';

/**
 * @param {string[]} packages bare package names whose imports (and subpaths) are bundled to ESM
 * @returns {import('@web/test-runner').TestRunnerPlugin}
 */
export function cjsToEsmPlugin(packages) {
  /** @type {Map<string, Promise<string>>} */
  const cache = new Map();
  const require = createRequire(path.resolve('packages/rules/package.json'));
  const isCjs = (/** @type {string} */ spec) => packages.some((p) => spec === p || spec.startsWith(`${p}/`));
  return {
    name: 'cjs-to-esm',
    resolveImport({ source }) {
      if (isCjs(source)) return `${PREFIX}${source}`;
      return undefined;
    },
    serve(context) {
      if (!context.path.startsWith(PREFIX)) return undefined;
      const spec = context.path.slice(PREFIX.length);
      let body = cache.get(spec);
      if (!body) {
        body = build({
          stdin: { contents: `export { default } from ${JSON.stringify(require.resolve(spec))};`, resolveDir: process.cwd() },
          bundle: true,
          format: 'esm',
          write: false,
          platform: 'browser',
        }).then((r) => r.outputFiles[0]?.text ?? '');
        cache.set(spec, body);
      }
      return body.then((text) => ({ body: text, type: 'js' }));
    },
  };
}
