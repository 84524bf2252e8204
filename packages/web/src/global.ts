// The script-tag build (`dist/beckon.min.js`): defines `window.beckon`, and starts Beckon by itself when the
// <script> tag carries `data-endpoint` or `data-catalog-url`. The compiler and the renderer are not in this file:
// they are `beckon-compiler.min.js` and `beckon-elements.min.js`, next to this one, each loaded only when needed.
import { startBeckon } from './shell.js';
import type { Compiler } from './compiler.js';
import type { Elements } from './elements.js';
import type { BeckonGlobal, BeckonOptions } from './types.js';
import { VERSION } from './version.js';

declare global {
  interface Window {
    beckon?: BeckonGlobal;
  }
}

if (typeof window !== 'undefined' && typeof document !== 'undefined') {
  const script = document.currentScript as HTMLScriptElement | null;
  // Where this file was loaded from, so its siblings can be found (the page's URL for an inlined copy).
  const base = script?.src || location.href;
  /** Imports the module at `url`, or the sibling file `name` beside this one. */
  const sibling = <T>(url: string | undefined, name: string) => import(/* @vite-ignore */ new URL(url ?? name, base).href) as Promise<T>;
  const createBeckon = (options: BeckonOptions = {}) =>
    startBeckon(options, {
      loadCompiler: () => sibling<Compiler>(options.compilerUrl, 'beckon-compiler.min.js'),
      loadElements: () => sibling<Elements>(options.elementsUrl, 'beckon-elements.min.js'),
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
      consent: data.consent as BeckonOptions['consent'],
      debug: data.debug !== undefined && data.debug !== 'false',
      trackPages: data.trackPages !== 'false',
    });
  }
}
