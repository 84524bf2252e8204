import { afterEach, describe, expect, it, vi } from 'vitest';
import { randomId } from './platform.js';

describe('randomId', () => {
  afterEach(() => void vi.unstubAllGlobals());

  it('is a UUID v4 where crypto.randomUUID exists', () => {
    expect(randomId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('falls back to 128 random bits where randomUUID is missing (pages not served over https)', () => {
    const real = globalThis.crypto;
    vi.stubGlobal('crypto', { getRandomValues: <T extends ArrayBufferView>(array: T) => real.getRandomValues(array as never) as T });
    const ids = Array.from({ length: 1000 }, randomId);
    for (const id of ids) expect(id).toMatch(/^\d{1,10}(-\d{1,10}){3}$/);
    expect(new Set(ids).size).toBe(1000);
  });
});
