// Server rendering: <BeckonProvider options> renders its children and nothing of Beckon's own (no message, no
// instance started, no browser API touched), on React 19 and, in the "react 18" project, React 18.
import { createElement, Fragment, type ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BeckonMessages, BeckonProvider, BeckonSlot, useBeckon, useMessages } from './index.js';

afterEach(() => vi.restoreAllMocks());

function Page(): ReactNode {
  const beckon = useBeckon();
  const messages = useMessages();
  return createElement(
    Fragment,
    null,
    createElement('h1', null, `Pricing (${messages.length} messages, id "${beckon.anonymousId}")`),
    createElement(BeckonSlot, { name: 'pricing-footer' }),
    createElement(BeckonSlot, { name: 'headless', render: (m) => createElement('p', null, m.content.title) }),
    createElement(BeckonMessages, { render: (m) => createElement('dialog', null, m.content.title) }),
  );
}

describe('@beckon/react on the server', () => {
  it('renders the children and empty slots, starts nothing, and warns about nothing', () => {
    const warn = vi.spyOn(console, 'warn');
    const error = vi.spyOn(console, 'error');
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
    const catalog = { messages: [{ id: 'hi', layout: { type: 'modal' as const }, content: { title: 'Hi' } }] };
    const html = renderToString(createElement(BeckonProvider, { options: { catalog, render: false } }, createElement(Page)));
    expect(html).toBe('<h1>Pricing (0 messages, id &quot;&quot;)</h1><beckon-slot name="pricing-footer"></beckon-slot><beckon-slot name="headless"></beckon-slot>');
    // createBeckon on a server says so once ("no browser here"): it was never called.
    expect(warn).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
  });

  it('says what is missing when a hook is used outside a provider', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => renderToString(createElement(Page))).toThrow('useBeckon() needs a <BeckonProvider> above it');
  });
});
