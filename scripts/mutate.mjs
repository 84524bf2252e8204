// `pnpm mutate <package> [stryker options]`: mutation testing with StrykerJS over one package's
// sources and the Node tests that exercise them. Prints the mutation score per file and every
// surviving mutant. Too slow for `npm test` (minutes per package on two cores): run it after
// changing a package. Extra options go to Stryker, e.g. `--mutate packages/rules/src/ledger.ts`
// to score one file, `--force` to ignore the incremental results, `--concurrency 1`.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { bin, root, runOrExit } from './bootstrap.mjs';
import { MUTATED_PACKAGES } from './mutate/packages.mjs';

const [name, ...strykerArgs] = process.argv.slice(2);
const known = Object.keys(MUTATED_PACKAGES).filter((pkg) => existsSync(path.join(root, 'packages', pkg, 'src')));
if (!name || name.startsWith('-') || !known.includes(name)) {
  console.error(`Usage: pnpm mutate <package> [stryker options]\n  <package> is one of: ${known.join(', ')}` +
    (name ? `\n  "${name}" is not one of them.` : ''));
  process.exit(2);
}

runOrExit(bin('stryker'), ['run', 'scripts/mutate/stryker.config.mjs', ...strykerArgs], {
  env: { ...process.env, BECKON_MUTATE_PACKAGE: name },
});
