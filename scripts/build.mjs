// `pnpm build`: every package's src → dist as ES modules (esbuild) with .d.ts files (tsc),
// plus the single-file browser build of @beckon/web for <script> tag users.
import { build } from 'esbuild';
import { chmodSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { bin, root, runOrExit } from './bootstrap.mjs';
import { bundleForBrowser, minifyStyles } from './bundle.mjs';

/** Packages in dependency order. */
const PACKAGES = ['rules', 'elements', 'tracking', 'engine', 'web', 'react', 'server'];

/** Single-file bundles built beside a package's modules. */
const BUNDLES = {
  web: [
    { entry: 'src/global.ts', outfile: 'dist/beckon.min.js', format: 'iife' },
    // Loaded by beckon.min.js from beside itself, only for catalogs that are not compiled.
    { entry: 'src/compiler.ts', outfile: 'dist/beckon-compiler.min.js', format: 'esm' },
    // Loaded by beckon.min.js from beside itself, only when a page view has a message that will or may show.
    { entry: 'src/elements.ts', outfile: 'dist/beckon-elements.min.js', format: 'esm' },
  ],
};

/** Files that must be executable after the build. */
const EXECUTABLES = { server: ['dist/cli.js'] };

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    // A conformance folder holds a test suite (it imports vitest): it is not shipped.
    if (statSync(file).isDirectory()) return name === 'conformance' ? [] : sources(file);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) && !/\.d\.ts$/.test(name) ? [file] : [];
  });
}

const only = process.argv.slice(2);
for (const name of PACKAGES) {
  if (only.length > 0 && !only.includes(name)) continue;
  const dir = path.join(root, 'packages', name);
  const dist = path.join(dir, 'dist');
  rmSync(dist, { recursive: true, force: true });
  await build({
    entryPoints: sources(path.join(dir, 'src')),
    outdir: dist,
    outbase: path.join(dir, 'src'),
    format: 'esm',
    platform: name === 'server' ? 'node' : 'neutral',
    target: name === 'server' ? 'node20' : 'es2022',
    sourcemap: true,
    logLevel: 'warning',
    tsconfig: path.join(dir, 'tsconfig.json'),
    plugins: [minifyStyles],
  });
  for (const bundle of BUNDLES[name] ?? []) {
    if (!existsSync(path.join(dir, bundle.entry))) continue;
    await bundleForBrowser({ entry: path.join(dir, bundle.entry), outfile: path.join(dir, bundle.outfile), format: bundle.format, tsconfig: path.join(dir, 'tsconfig.json') });
  }
  runOrExit(bin('tsc'), ['-p', path.join(dir, 'tsconfig.build.json')]);
  for (const file of EXECUTABLES[name] ?? []) {
    if (existsSync(path.join(dir, file))) chmodSync(path.join(dir, file), 0o755);
  }
  console.log(`built @beckon/${name}`);
}
