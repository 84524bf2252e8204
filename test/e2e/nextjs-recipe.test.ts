// The Next.js App Router recipe of the React docs page (docs/examples/nextjs): `next build` with the packed-as-built
// @beckon/react (its dist: run `pnpm build` first, as npm test does), telemetry off, no network. The page is
// prerendered on the server with its <beckon-slot> and without anything Beckon draws in the browser.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const app = path.join(root, 'docs', 'examples', 'nextjs');

/** The newest modification time of the files under `dir` (0 when it does not exist). */
function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  return Math.max(0, ...readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((file) => statSync(path.join(dir, file)).mtimeMs));
}

describe('the Next.js App Router recipe', () => {
  it('builds with next build, and the server prerenders the page with its slot and no window access', async () => {
    const react = path.join(root, 'packages', 'react');
    if (newest(path.join(react, 'dist')) < newest(path.join(react, 'src'))) throw new Error('@beckon/react: dist is missing or older than src: run `pnpm build` first (npm test does)');
    rmSync(path.join(app, '.next'), { recursive: true, force: true });
    const next = path.join(app, 'node_modules', 'next', 'dist', 'bin', 'next');
    // (About 40 to 75 s on the 2-core development machine, most of it Turbopack and Next's TypeScript check.)
    await promisify(execFile)(process.execPath, [next, 'build'], { cwd: app, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', CI: '1' } });
    const html = readFileSync(path.join(app, '.next', 'server', 'app', 'index.html'), 'utf8');
    expect(html).toContain('<h1>Shop</h1>');
    expect(html).toContain('<beckon-slot name="home-card"></beckon-slot>');
    // Messages exist only in the browser, once Beckon has started after hydration.
    expect(html).not.toContain('beckon-message');
    expect(html).not.toContain('data-message');
  }, 300_000);
});
