// The system's Chromium for the end-to-end tests and benches that drive pages with Playwright: found and started
// as scripts/chromium.mjs says (CHROME_PATH or /usr/bin/chromium, headless, no calls to the network).
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

/** Starts Chromium headless; `options` add to (or override) how it is launched. */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const { chromiumPath, chromiumArgs } = (await import(new URL('../scripts/chromium.mjs', import.meta.url).href)) as { chromiumPath(): string; chromiumArgs(): string[] };
  return chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs(), ...options });
}
