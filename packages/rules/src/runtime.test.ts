import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as full from './index.js';
import * as runtime from './runtime.js';

describe('@beckon/rules/runtime', () => {
  it('exports the runtime and not the compiler', () => {
    expect(Object.keys(runtime).sort()).toEqual(
      ['DEFAULT_SESSION_TIMEOUT_MS', 'addRecord', 'assignVariant', 'emptyLedger', 'evaluate', 'historyOf', 'holdoutBucket', 'isCompiledCatalog', 'mergeLedgers', 'normalizePath', 'parseLedger', 'prune', 'record', 'recordPageView', 'sessionAt'].sort(),
    );
  });

  it('is part of the full package, whose evaluate and prune also take parsed messages', () => {
    for (const name of Object.keys(runtime)) expect(name in full).toBe(true);
    expect(full.evaluate).not.toBe(runtime.evaluate);
    expect(full.prune).not.toBe(runtime.prune);
    expect(full.record).toBe(runtime.record);
  });

  it('bundles without picomatch or zod', async () => {
    const result = await build({ entryPoints: [new URL('./runtime.ts', import.meta.url).pathname], bundle: true, write: false, metafile: true, format: 'esm', logLevel: 'silent' });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((file) => file.includes('picomatch') || file.includes('zod'))).toBe(false);
    expect(inputs.some((file) => file.endsWith('evaluate.ts'))).toBe(true);
  });
});
