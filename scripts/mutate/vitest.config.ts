// Vitest under `pnpm mutate`: the mutated package's tests only, run in Stryker's sandbox (a copy
// of the repository with the mutants built in). Loaded from that sandbox, so paths resolve there.
import { existsSync, readdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.ts';
import { MUTATED_PACKAGES } from './packages.mjs';

const sandbox = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = process.env.BECKON_MUTATE_PACKAGE as keyof typeof MUTATED_PACKAGES | undefined;
if (!pkg || !(pkg in MUTATED_PACKAGES)) throw new Error('BECKON_MUTATE_PACKAGE is not set: run `pnpm mutate <package>`.');

// The sandbox's node_modules is a link to the repository's own.
const repository = path.dirname(realpathSync(path.join(sandbox, 'node_modules')));
const packages = readdirSync(path.join(sandbox, 'packages')).filter((name) =>
  existsSync(path.join(sandbox, 'packages', name, 'package.json')));

// Stryker links only the root node_modules into the sandbox, but with pnpm each package's own
// dependencies (better-sqlite3, picomatch, lit…) live in that package's node_modules: link those too.
for (const name of packages) {
  const link = path.join(sandbox, 'packages', name, 'node_modules');
  const target = path.join(repository, 'packages', name, 'node_modules');
  if (link !== target && !existsSync(link) && existsSync(target)) symlinkSync(target, link, 'dir');
}

// `@beckon/x` resolves through node_modules to the repository's unmutated sources; point every
// exported entry at the sandbox's copy instead, so a test that imports `@beckon/server` runs the mutants.
const alias = packages.flatMap((name) => {
  const dir = path.join(sandbox, 'packages', name);
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    name: string;
    exports?: Record<string, { source?: string } | string>;
  };
  return Object.entries(manifest.exports ?? {}).flatMap(([entry, target]) => {
    if (typeof target === 'string' || !target.source) return [];
    const specifier = path.posix.join(manifest.name, entry);
    return [{ find: new RegExp(`^${specifier.replace(/[/.]/g, '\\$&')}$`), replacement: path.join(dir, target.source) }];
  });
});

export default defineConfig({
  ...base,
  resolve: { ...base.resolve, alias },
  test: { ...base.test, include: MUTATED_PACKAGES[pkg].tests },
});
