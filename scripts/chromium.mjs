// Where the system Chromium is and how to start it headless on a machine with a closed network.
import { existsSync } from 'node:fs';

/** The Chromium binary: $CHROME_PATH, else Debian's /usr/bin/chromium. */
export function chromiumPath() {
  return process.env.CHROME_PATH || '/usr/bin/chromium';
}

/** Whether a Chromium binary is present where `chromiumPath()` says. */
export function hasChromium() {
  return existsSync(chromiumPath());
}

/** Flags for headless runs: no sandbox as root, and no background calls to the network. */
export function chromiumArgs() {
  return [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--no-first-run',
    '--disable-default-apps',
    '--disable-extensions',
    '--mute-audio',
  ];
}
