// The script-tag build (`dist/beckon.min.js`): defines `window.beckon`, and starts Beckon by itself when the
// <script> tag carries `data-endpoint` or `data-catalog-url`. The compiler is not in this file: it is
// `beckon-compiler.min.js`, next to this one, loaded only for an authored catalog.
import { startBeckon } from './shell.js';
import type { Compiler } from './compiler.js';
import type { BeckonGlobal, BeckonOptions } from './types.js';
import { VERSION } from './version.js';

declare global {
  interface Window {
    beckon?: BeckonGlobal;
  }
}

if (typeof window !== 'undefined' && typeof document !== 'undefined') {
  const script = document.currentScript as HTMLScriptElement | null;
  // Where this file was loaded from, so its sibling can be found (the page's URL for an inlined copy).
  const base = script?.src || location.href;
  const createBeckon = (options: BeckonOptions = {}) =>
    startBeckon(options, {
      loadCompiler: () => {
        const url = new URL(options.compilerUrl ?? 'beckon-compiler.min.js', base).href;
        return import(/* @vite-ignore */ url) as Promise<Compiler>;
      },
    });
  const global: BeckonGlobal = { createBeckon, version: VERSION };
  window.beckon = global;
  const data = script?.dataset ?? {};
  if (data.endpoint || data.catalogUrl) {
    global.instance = createBeckon({
      endpoint: data.endpoint,
      writeKey: data.writeKey,
      catalogUrl: data.catalogUrl,
      storage: data.storage as BeckonOptions['storage'],
      debug: data.debug !== undefined && data.debug !== 'false',
      trackPages: data.trackPages !== 'false',
    });
  }
}
