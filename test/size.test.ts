import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// Sizes are part of the product: `pnpm size` must pass, so its budgets hold on every change.
describe('size budgets', () => {
  it('every browser entry point is within its gzip budget and free of forbidden identifiers', () => {
    const result = spawnSync(process.execPath, ['scripts/size.mjs'], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    // (Every entry bundled and minified twice over: esbuild, then terser; a minute on a busy machine.)
  }, 180_000);
});
