// The demo's settings, from /config.js (`npm run demo` serves one naming its own Beckon server).

/** What config.js puts on `window.beckonDemo`. */
export interface DemoConfig {
  /** The Beckon server's base URL, e.g. `http://localhost:8787`. */
  endpoint: string;
  /**
   * Which build of @beckon/web the store runs: `'script'` (default), the `<script>` tag's `beckon.min.js` with the
   * renderer beside it; `'npm'`, the package bundled into the store's own script, the renderer a chunk of that bundle.
   */
  sdk?: 'script' | 'npm';
}

declare global {
  interface Window {
    beckonDemo?: DemoConfig;
  }
}

/** The demo's settings; a Beckon server on this host's port 8787 when config.js is missing. */
export function demoConfig(): DemoConfig {
  return window.beckonDemo ?? { endpoint: `${location.protocol}//${location.hostname}:8787` };
}

/** Points every `[data-dashboard]` link at the demo server's dashboard. */
export function linkDashboard(): void {
  const url = `${demoConfig().endpoint.replace(/\/+$/, '')}/dashboard`;
  for (const link of document.querySelectorAll<HTMLAnchorElement>('a[data-dashboard]')) link.href = url;
}
