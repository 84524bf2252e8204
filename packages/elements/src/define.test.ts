// Registration is the only part of the package that touches the DOM, and only when there is one.
import { describe, expect, it } from 'vitest';

describe('@beckon/elements/define in Node', () => {
  it('imports without a DOM and defines nothing', async () => {
    expect(typeof (globalThis as { customElements?: unknown }).customElements).toBe('undefined');
    await expect(import('./define.js')).resolves.toBeDefined();
  });

  it('the classes and helpers import and work in Node', async () => {
    const { BeckonMessage, BeckonSlot, isSafeUrl, parseBody, findInlineHost } = await import('./index.js');
    expect(typeof BeckonMessage).toBe('function');
    expect(typeof BeckonSlot).toBe('function');
    expect(isSafeUrl('/signup')).toBe(true);
    expect(parseBody('**hi**')).toEqual([{ type: 'strong', children: [{ type: 'text', text: 'hi' }] }]);
    expect(typeof findInlineHost).toBe('function');
  });
});
