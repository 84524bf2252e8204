import { describe, expect, it } from 'vitest';

// Server rendering imports these packages in Node, where there is no DOM: importing must not touch one.
describe('importing every package without a DOM', () => {
  it.each(['@beckon/rules', '@beckon/elements', '@beckon/tracking', '@beckon/engine', '@beckon/web'])('%s imports cleanly', async (name) => {
    expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined');
    const module: Record<string, unknown> = await import(name);
    expect(Object.keys(module).length).toBeGreaterThan(0);
  });
});
