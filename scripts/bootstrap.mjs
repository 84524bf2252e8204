// Gets a fresh machine with only Node and npm ready: pnpm, dependencies, and (for browser tests) Chromium.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromiumPath, hasChromium } from './chromium.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PNPM = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).packageManager;

/** Runs a command in the repository root with inherited output; returns its exit code. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

/** Runs a command and exits the process with its code when it fails. */
export function runOrExit(command, args, options = {}) {
  const code = run(command, args, options);
  if (code !== 0) process.exit(code);
}

/** A local binary from node_modules/.bin. */
export function bin(name) {
  return path.join(root, 'node_modules', '.bin', name);
}

/** pnpm itself: the one running us when started through pnpm, else the pinned version through npx. */
export function pnpm(args, options) {
  const execpath = process.env.npm_execpath ?? '';
  if (/pnpm/.test(path.basename(execpath)) || /pnpm/.test(process.env.npm_config_user_agent?.split(' ')[0] ?? '')) {
    if (execpath.endsWith('.js') || execpath.endsWith('.cjs') || execpath.endsWith('.mjs')) {
      return run(process.execPath, [execpath, ...args], options);
    }
    if (execpath) return run(execpath, args, options);
  }
  return run('npx', ['-y', PNPM, ...args], options);
}

/** Installs dependencies exactly as the lockfile says (a no-op when they already are). */
export function installDependencies() {
  const code = pnpm(['install', '--frozen-lockfile', '--reporter=append-only']);
  if (code !== 0) {
    console.error('\nInstalling dependencies failed (see above). The lockfile pnpm-lock.yaml must match package.json.');
    process.exit(code);
  }
}

/** Makes sure a Chromium is present for browser tests, installing Debian's package when we can. */
export function ensureChromium() {
  if (hasChromium()) return;
  if (process.env.CHROME_PATH) {
    console.error(`CHROME_PATH is set to ${process.env.CHROME_PATH}, but there is no file there. Point it at a Chromium or Chrome binary.`);
    process.exit(1);
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/etc/debian_version')) {
    console.log('Installing Chromium from Debian\'s packages for the browser tests…');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (run('apt-get', ['update', '-qq'], { env }) === 0 && run('apt-get', ['install', '-y', '-qq', 'chromium'], { env }) === 0 && hasChromium()) return;
    console.error('Installing Debian\'s chromium package failed (see above).');
    process.exit(1);
  }
  console.error(
    [
      `The browser tests need Chromium, and there is none at ${chromiumPath()}.`,
      'Install one and run again, for example:',
      '  Debian/Ubuntu:  sudo apt-get install chromium',
      '  macOS:          brew install --cask chromium',
      'or point CHROME_PATH at an installed Chrome or Chromium binary:',
      '  CHROME_PATH=/path/to/chrome npm test',
    ].join('\n'),
  );
  process.exit(1);
}
