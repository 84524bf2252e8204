// Server rendering: importing touches no DOM, and createBeckon without a browser does nothing, harmlessly.
import { afterEach, describe, expect, it, vi } from 'vitest';

describe('@beckon/web without a browser', () => {
  afterEach(() => vi.restoreAllMocks());

  it('imports without a DOM and defines nothing', async () => {
    expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined');
    const web = await import('./index.js');
    await import('./global.js');
    expect(typeof web.createBeckon).toBe('function');
    expect((globalThis as { beckon?: unknown }).beckon).toBeUndefined();
  });

  it('createBeckon returns a Beckon that does nothing, after one warning', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { createBeckon } = await import('./index.js');
    const beckon = createBeckon({ endpoint: 'http://127.0.0.1:9', catalog: { v: 1, patterns: [], messages: [] } });
    await beckon.ready;
    beckon.page();
    beckon.screen('Home');
    beckon.track('x');
    beckon.identify('user-1');
    beckon.reset();
    expect(beckon.explain('/pricing')).toEqual([]);
    await beckon.flush();
    beckon.destroy();
    expect(beckon.anonymousId).toBe('');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain('no browser here');
  });
});
