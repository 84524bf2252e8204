// `pnpm bench`: runs every benchmark under test/bench/ and prints its tables.
//   *.bench.ts          run in Node (through tsx, against the TypeScript sources)
//   *.browser.bench.ts  bundled with esbuild and run in headless Chromium; the page's console is printed
// Benchmarks print numbers; they never fail on timing. Pass names to run only some: `pnpm bench rules`.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { root, run } from './bootstrap.mjs';
import { chromiumArgs, chromiumPath } from './chromium.mjs';

const dir = path.join(root, 'test', 'bench');
const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

let failures = 0;
for (const file of files) {
  console.log(`\n═══ ${file} ═══`);
  if (file.endsWith('.browser.bench.ts')) {
    failures += await runInBrowser(path.join(dir, file));
  } else {
    const code = run(process.execPath, ['--conditions=source', '--expose-gc', '--import', 'tsx', path.join(dir, file)], {
      env: { ...process.env, NODE_ENV: 'production' },
    });
    if (code !== 0) failures += 1;
  }
}
if (failures > 0) {
  console.error(`\n${failures} benchmark file(s) did not finish.`);
  process.exit(1);
}

/** Bundles a browser benchmark, serves it on localhost and runs it in Chromium until it calls `__benchDone()`. */
async function runInBrowser(file) {
  const result = await build({
    entryPoints: [file],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    minify: true,
    conditions: ['source'],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  const script = result.outputFiles[0]?.text ?? '';
  // Cross-origin isolation gives performance.now() a fine resolution (5 µs instead of 100 µs).
  const isolated = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
  const server = createServer((req, res) => {
    if (req.url === '/bench.js') {
      res.writeHead(200, { 'content-type': 'text/javascript', ...isolated });
      res.end(script);
    } else {
      res.writeHead(200, { 'content-type': 'text/html', ...isolated });
      res.end('<!doctype html><html lang="en"><head><title>bench</title></head><body><script type="module" src="/bench.js"></script></body></html>');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  let timer;
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs() });
  try {
    const page = await browser.newPage();
    let resolveDone;
    const done = new Promise((resolve) => (resolveDone = resolve));
    await page.exposeFunction('__benchDone', () => resolveDone(0));
    page.on('console', (msg) => console.log(msg.text()));
    page.on('pageerror', (error) => {
      console.error(error);
      resolveDone(1);
    });
    await page.goto(`http://127.0.0.1:${port}/`);
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => (console.error('timed out after 300 s'), resolve(1)), 300_000);
    });
    return await Promise.race([done, timeout]);
  } finally {
    clearTimeout(timer);
    await browser.close();
    server.close();
  }
}
