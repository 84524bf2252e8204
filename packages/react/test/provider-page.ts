// A page for the provider's lifecycle in Chromium, bundled for React 18 and 19 (development builds, where StrictMode
// mounts every effect twice): StrictMode, a fast-refresh edit that remounts the app, and unmount.
import { hooked } from './refresh-hook.js';
import { createElement, StrictMode, useEffect, useState, version } from 'react';
import { createRoot } from 'react-dom/client';
import { performReactRefresh, register, setSignature } from 'react-refresh/runtime';
import { BeckonMessages, BeckonProvider } from '@beckon/react';

/** What the test reads and drives. */
export interface Fixture {
  react: string;
  /** Effects of the probe inside the provider, in order: `mount`, `unmount`. */
  effects: string[];
  /** A fast-refresh edit of the app that changes its hooks: React remounts it, provider included. */
  edit(): void;
  unmount(): void;
}

// The Beckon server, named in this script's own URL (`/app.js?endpoint=…`).
const endpoint = new URL(import.meta.url).searchParams.get('endpoint')!;
const effects: string[] = [];

function Probe({ version: edition }: { version: string }) {
  useEffect(() => {
    effects.push('mount');
    return () => void effects.push('unmount');
  }, []);
  return createElement('p', { 'data-edition': edition }, edition);
}

const messages = () => createElement(BeckonMessages, { render: (m) => createElement('div', { 'data-message': m.id }, m.content.title) });

function AppV1() {
  return createElement(BeckonProvider, { options: { endpoint, render: false } }, createElement(Probe, { version: 'v1' }), messages());
}

// The edited file: a hook was added, so fast refresh cannot keep the component's state and remounts it.
function AppV2() {
  const [edition] = useState('v2');
  return createElement(BeckonProvider, { options: { endpoint, render: false } }, createElement(Probe, { version: edition }), messages());
}

if (!hooked) throw new Error('the refresh runtime must load before react-dom');
register(AppV1, 'App');
setSignature(AppV1, 'no hooks');
const root = createRoot(document.getElementById('root')!);
root.render(createElement(StrictMode, null, createElement(AppV1)));

(window as unknown as { fixture: Fixture }).fixture = {
  react: version,
  effects,
  edit() {
    register(AppV2, 'App');
    setSignature(AppV2, 'useState{edition}');
    performReactRefresh();
  },
  unmount: () => root.unmount(),
};
