// Types of serve.mjs, for the end-to-end tests that serve the site.
import type { Server } from 'node:http';

/** What /config.js gives the pages: where the demo's Beckon server is, and which build of @beckon/web the store runs. */
export interface DemoConfig {
  endpoint: string;
  sdk?: 'script' | 'npm';
}

/** The default config.js value: a Beckon server on the page's host, port 8787. */
export const DEFAULT_CONFIG: string;
/** The text of config.js for `config` (an object, or a JavaScript expression as a string). */
export function configScript(config?: DemoConfig | string): string;
/** Serves `root` on host:port (default 127.0.0.1:8080); with `config`, /config.js names that Beckon server. */
export function serveSite(options: { root: string; port?: number; host?: string; config?: DemoConfig | string }): Promise<Server>;
