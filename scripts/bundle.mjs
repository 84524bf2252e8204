// The browser bundles we ship (beckon.min.js and the compiler loaded beside it), and how `pnpm size` measures
// every browser entry: esbuild bundles and minifies, then terser compresses and mangles once more. Terser
// names variables by how often each letter is used, which gzips about 4% smaller than esbuild alone.
import { build, transform } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { minify } from 'terser';

/**
 * An esbuild plugin: the CSS in a `*.styles.ts` module (plain template literals, no `${}`) leaves minified by
 * esbuild's CSS minifier, so the source stays readable and the bundle carries no indentation.
 */
export const minifyStyles = {
  name: 'minify-styles',
  setup(esbuild) {
    esbuild.onLoad({ filter: /\.styles\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      let contents = '';
      let last = 0;
      for (const match of source.matchAll(/`([^`$\\]*)`/g)) {
        const css = (await transform(match[1], { loader: 'css', minify: true })).code.trim();
        contents += `${source.slice(last, match.index)}\`${css}\``;
        last = match.index + match[0].length;
      }
      return { contents: contents + source.slice(last), loader: 'ts' };
    });
  },
};

/** How esbuild bundles and minifies every browser entry before terser's pass: one setting for the build and `pnpm size`. */
export const browserBuild = { bundle: true, minify: true, platform: 'browser', target: 'es2022', legalComments: 'none', plugins: [minifyStyles] };

/** Terser's options: its safe defaults (no `unsafe` transforms), two compress passes, comments dropped. */
function terserOptions(module) {
  return { ecma: 2020, module, compress: { passes: 2 }, mangle: true, format: { comments: false } };
}

/**
 * The last minify pass over esbuild's minified output. `module` for ES modules (top-level names may then be
 * renamed); `map` is esbuild's source map, carried through to the result, which `url` names at the end of the code.
 */
export async function shrink(code, { module = true, map, url } = {}) {
  const sourceMap = map ? { content: map, url, includeSources: true } : false;
  const result = await minify(code, { ...terserOptions(module), sourceMap });
  return { code: result.code ?? '', map: typeof result.map === 'string' ? result.map : undefined };
}

/**
 * Bundles `entry` into `outfile` as shipped to browsers (format `iife` or `esm`), with its source map beside it.
 * `options` are more esbuild options (tsconfig, conditions).
 */
export async function bundleForBrowser({ entry, outfile, format, ...options }) {
  const result = await build({ ...options, ...browserBuild, entryPoints: [entry], outfile, format, sourcemap: 'external', logLevel: 'warning', write: false });
  const code = result.outputFiles.find((file) => file.path.endsWith('.js'))?.text ?? '';
  const map = result.outputFiles.find((file) => file.path.endsWith('.map'))?.text;
  const shrunk = await shrink(code, { module: format === 'esm', map, url: `${path.basename(outfile)}.map` });
  mkdirSync(path.dirname(outfile), { recursive: true });
  writeFileSync(outfile, shrunk.code);
  if (shrunk.map) writeFileSync(`${outfile}.map`, shrunk.map);
}
