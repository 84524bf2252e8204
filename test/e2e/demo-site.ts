// The demo as a newcomer meets it, for end-to-end tests: the docs site built from the sources into a temp
// folder and served on 127.0.0.1, a real Beckon server with the demo catalog and a temp SQLite file, and
// Chromium driven by playwright-core.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { buildSite } from '../../docs/build.mjs';
import { serveSite } from '../../docs/serve.mjs';
import { startTestServer, type TestServer } from './server-harness.js';
export { launchChromium } from '../browser.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The demo catalog, as `npm run demo` serves it. */
export const DEMO_CATALOG = JSON.parse(readFileSync(path.join(root, 'docs', 'demo', 'messages.json'), 'utf8')) as { messages: Array<{ id: string; audience?: string }> };

let built: Promise<string> | undefined;

/** Builds the docs site once per test file, into a temp folder removed when the process exits. */
export function builtSite(): Promise<string> {
  if (!built) {
    const outDir = mkdtempSync(path.join(tmpdir(), 'beckon-site-'));
    process.once('exit', () => rmSync(outDir, { recursive: true, force: true }));
    built = buildSite({ outDir });
  }
  return built;
}

/** A running demo: the site's origin, the Beckon server, and a way to stop both. */
export interface Demo {
  /** The site's origin, e.g. `http://127.0.0.1:40123`. */
  site: string;
  beckon: TestServer;
  close(): Promise<void>;
}

/**
 * Starts a Beckon server with the demo catalog and serves the built site pointing at it, both on free ports. `sdk`
 * is the build of @beckon/web the store runs: the `<script>` tag's (default) or the npm package's, bundled.
 */
export async function startDemo({ sdk = 'script' }: { sdk?: 'script' | 'npm' } = {}): Promise<Demo> {
  const siteDir = await builtSite();
  // The harness writes `catalog` to a file; its type says string because it extends ListenOptions.
  // The context is stored so the journey can check the pages the SDK reported (beckon serve --store-context).
  const beckon = await startTestServer({ catalog: DEMO_CATALOG as unknown as string, storeContext: true });
  let server: Server;
  try {
    server = await serveSite({ root: siteDir, port: 0, host: '127.0.0.1', config: { endpoint: beckon.url, sdk } });
  } catch (error) {
    await beckon.close();
    throw error;
  }
  return {
    site: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    beckon,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await beckon.close();
    },
  };
}


/** What went wrong in a page: uncaught errors, console errors and failed requests. */
export interface PageProblems {
  errors: string[];
}

/** Collects a page's uncaught errors, console errors and failed or non-2xx requests into `problems.errors`. */
export function watchProblems(page: Page, problems: PageProblems = { errors: [] }): PageProblems {
  page.on('pageerror', (error) => problems.errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.errors.push(`console.error: ${message.text()} (${message.location().url})`);
  });
  page.on('requestfailed', (request) => {
    // A navigation away cancels what is in flight; that is not a failure of the page.
    if (request.failure()?.errorText !== 'net::ERR_ABORTED') problems.errors.push(`request failed: ${request.url()} ${request.failure()?.errorText}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.errors.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return problems;
}

/** The Beckon UI events of a context, in order, across every page and navigation. */
export interface UiEvent {
  type: 'beckon-shown' | 'beckon-action' | 'beckon-dismiss';
  messageId: string;
  detail: Record<string, unknown>;
}

/** Records every `beckon-shown`, `beckon-action` and `beckon-dismiss` of the context's pages into the returned list. */
export async function recordUiEvents(context: BrowserContext): Promise<UiEvent[]> {
  const events: UiEvent[] = [];
  await context.exposeBinding('__recordBeckonEvent', (_source, type: UiEvent['type'], detail: Record<string, unknown>) => {
    events.push({ type, messageId: String(detail['messageId']), detail });
  });
  await context.addInitScript(() => {
    for (const type of ['beckon-shown', 'beckon-action', 'beckon-dismiss']) {
      document.addEventListener(type, (event) => {
        const record = (window as unknown as { __recordBeckonEvent(type: string, detail: unknown): void }).__recordBeckonEvent;
        record(type, (event as CustomEvent).detail);
      });
    }
  });
  return events;
}

/** Polls `condition` every 25 ms until it holds, or fails naming `what`. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
