// Server rendering imports these packages in Node, where there is no DOM: importing any entry point
// must not touch one, nor leave anything on the global object but its libraries' own bookkeeping.
import { readdirSync, readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const packagesDir = new URL('../packages/', import.meta.url);
/** Every entry point that a package's `exports` map gives TypeScript sources for, as `@beckon/x/entry`. */
const entries = readdirSync(packagesDir).flatMap((dir) => {
  const manifest = JSON.parse(readFileSync(new URL(`${dir}/package.json`, packagesDir), 'utf8')) as {
    name: string;
    exports: Record<string, { source?: string } | string>;
  };
  return Object.entries(manifest.exports)
    .filter(([, target]) => typeof target === 'object' && target.source)
    .map(([entry]) => (entry === '.' ? manifest.name : `${manifest.name}/${entry.slice(2)}`));
});
// What zod and lit keep on globalThis to share settings and versions between copies of themselves.
const LIBRARY_GLOBALS = /^(__zod_global(Config|Registry)|lit[A-Za-z]*(Versions|Warnings))$/;

describe('importing every entry point without a DOM', () => {
  // Each entry is evaluated afresh, with every module it imports, so whatever adds a global is caught by name.
  beforeEach(() => vi.resetModules());

  it('finds the entry points of every package', () => {
    expect(entries).toEqual(expect.arrayContaining(['@beckon/rules', '@beckon/rules/runtime', '@beckon/elements/define', '@beckon/engine', '@beckon/server']));
  });

  it.each(entries)('%s imports cleanly and adds nothing to the global object', async (name) => {
    expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined');
    const before = new Set(Object.getOwnPropertyNames(globalThis));
    const module: Record<string, unknown> = await import(name);
    const added = Object.getOwnPropertyNames(globalThis).filter((key) => !before.has(key));
    // Gone again, so the next entry is judged on what it adds itself.
    for (const key of added) delete (globalThis as Record<string, unknown>)[key];
    expect(added.filter((key) => !LIBRARY_GLOBALS.test(key))).toEqual([]);
    // Registering the custom elements is define's only effect, so without a registry it exports and does nothing.
    if (name === '@beckon/elements/define') expect(Object.keys(module)).toEqual([]);
    else expect(Object.keys(module).length).toBeGreaterThan(0);
  });
});
