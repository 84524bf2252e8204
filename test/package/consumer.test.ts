// Beckon's packages as a user gets them: each one packed with pnpm (workspace versions resolved), the
// tarballs installed with npm into an empty folder, type-checked by a consumer with skipLibCheck off
// and only @types/node, imported and used from a Node script on SQLite and on PostgreSQL, the
// installed `beckon` command served, and publint and arethetypeswrong run on what was packed. Needs
// `pnpm build` first (npm test does it).
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listeningUrl } from '../listening.js';
import { createTestDatabase } from '../../packages/server/src/storage/conformance/postgres-database.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
/** The fields of a package.json this test reads. */
interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  packageManager?: string;
  exports?: Record<string, unknown>;
  devDependencies?: Record<string, string>;
}
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Manifest;
const PNPM = readJson(join(root, 'package.json')).packageManager!;

/** Every published package of the workspace, by folder: name and version from its package.json. */
const PACKAGES = readdirSync(join(root, 'packages'))
  .filter((folder) => existsSync(join(root, 'packages', folder, 'package.json')))
  .map((folder) => ({ folder, ...readJson(join(root, 'packages', folder, 'package.json')) }))
  .filter((pkg) => !pkg.private);

/** The newest modification time of the files under `dir` (0 when it does not exist). */
function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  return Math.max(0, ...readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((file) => statSync(join(dir, file)).mtimeMs));
}

let dir: string;
const tarballs = new Map<string, string>();

beforeAll(async () => {
  for (const pkg of PACKAGES) {
    const folder = join(root, 'packages', pkg.folder);
    if (newest(join(folder, 'dist')) < newest(join(folder, 'src'))) {
      throw new Error(`${pkg.name}: dist is missing or older than src: run \`pnpm build\` first (npm test does)`);
    }
  }
  dir = mkdtempSync(join(tmpdir(), 'beckon-consumer-'));
  const packed = join(dir, 'tarballs');
  mkdirSync(packed);
  // pnpm pack turns workspace:* into the versions being published, as `pnpm publish` does.
  await run('npx', ['-y', PNPM, '--recursive', '--filter', './packages/*', 'pack', '--pack-destination', packed], { cwd: root });
  for (const file of readdirSync(packed)) {
    const pkg = PACKAGES.find((p) => file === `${p.name.replace('@', '').replace('/', '-')}-${p.version}.tgz`);
    if (pkg) tarballs.set(pkg.name, join(packed, file));
  }
  expect([...tarballs.keys()].sort()).toEqual(PACKAGES.map((p) => p.name).sort());

  const dependencies = Object.fromEntries([...tarballs].map(([name, file]) => [name, `file:${file}`]));
  const typesNode = readJson(join(root, 'package.json')).devDependencies!['@types/node']!;
  // @beckon/react's peer, React, is installed by npm as peers are; its types the consumer adds, as React users do.
  const typesReact = readJson(join(root, 'packages', 'react', 'package.json')).devDependencies!['@types/react']!;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({
    name: 'beckon-consumer',
    private: true,
    type: 'module',
    dependencies,
    devDependencies: { '@types/node': typesNode, '@types/react': typesReact },
    // Beckon's packages depend on each other by version; these come from the tarballs, never the registry.
    overrides: Object.fromEntries([...tarballs.keys()].map((name) => [name, `$${name}`])),
  }, null, 2));
  // Third-party dependencies come from the npm registry. Install scripts are skipped: better-sqlite3's would
  // compile its addon for a minute; the one the workspace built is copied when it is the same version.
  await run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: dir });
  const ours = realpathSync(join(root, 'packages', 'server', 'node_modules', 'better-sqlite3'));
  const theirs = join(dir, 'node_modules', 'better-sqlite3');
  if (readJson(join(ours, 'package.json')).version === readJson(join(theirs, 'package.json')).version) {
    cpSync(join(ours, 'build'), join(theirs, 'build'), { recursive: true });
  } else {
    await run('npm', ['rebuild', 'better-sqlite3'], { cwd: dir });
  }
}, 240_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed packages, installed with npm', () => {
  it('type-check in a consumer with skipLibCheck off and only @types/node: no driver types in the public ones', async () => {
    writeFileSync(join(dir, 'server.ts'), SERVER_CONSUMER);
    writeFileSync(join(dir, 'browser.ts'), BROWSER_CONSUMER);
    const compilerOptions = {
      strict: true,
      skipLibCheck: false,
      noEmit: true,
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      target: 'ES2022',
    };
    writeFileSync(join(dir, 'tsconfig.server.json'), JSON.stringify({ compilerOptions: { ...compilerOptions, lib: ['ES2023'], types: ['node'] }, files: ['server.ts'] }));
    writeFileSync(join(dir, 'tsconfig.browser.json'), JSON.stringify({ compilerOptions: { ...compilerOptions, lib: ['ES2023', 'DOM', 'DOM.Iterable'], types: [] }, files: ['browser.ts'] }));
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const check = (project: string) => run(process.execPath, [tsc, '-p', project], { cwd: dir }).catch((error: { stdout: string }) => error);
    const [server, browser] = await Promise.all([check('tsconfig.server.json'), check('tsconfig.browser.json')]);
    expect(server.stdout).toBe('');
    expect(browser.stdout).toBe('');
    // A driver that ships its own types would type-check above and still leak: none may be reachable.
    const reached = publicTypeImports(join(dir, 'node_modules', '@beckon', 'server', 'dist', 'index.d.ts'));
    expect(reached.filter((name) => DRIVERS.some((driver) => name === driver || name.startsWith(`${driver}/`)))).toEqual([]);
    expect(reached).toContain('@beckon/tracking');
  }, 120_000);

  it('import in Node, and openStore stores events and computes metrics in a SQLite file', async () => {
    writeFileSync(join(dir, 'use.mjs'), USE_SCRIPT);
    const { stdout } = await run(process.execPath, ['use.mjs'], { cwd: dir });
    expect(JSON.parse(stdout)).toEqual({ modules: Object.fromEntries(ENTRY_POINTS.map((entry) => [entry, true])), ...STORED });
  }, 60_000);

  it('openStore stores events and computes metrics in a PostgreSQL database', async () => {
    const database = await createTestDatabase();
    try {
      writeFileSync(join(dir, 'use.mjs'), USE_SCRIPT);
      const { stdout } = await run(process.execPath, ['use.mjs', database.url], { cwd: dir });
      expect(JSON.parse(stdout)).toMatchObject(STORED);
    } finally {
      await database.drop();
    }
  }, 60_000);

  it('serve from the installed `beckon` command: health, a batch, then stop', async () => {
    writeFileSync(join(dir, 'messages.json'), JSON.stringify({ messages: [{ id: 'welcome', layout: { type: 'banner' }, content: { title: 'Hi' } }] }));
    const child = spawn(join(dir, 'node_modules', '.bin', 'beckon'), ['serve', '--catalog', 'messages.json', '--db', 'serve.sqlite', '--port', '0'], { cwd: dir });
    try {
      const url = await listeningUrl(child);
      expect(await (await fetch(`${url}/v1/health`)).json()).toMatchObject({ status: 'ok' });
      const batch = { batch: [event('e1', 'page'), event('e2', 'page')] };
      const stored = await fetch(`${url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) });
      expect(await stored.json()).toEqual({ accepted: 2, duplicates: 0 });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await new Promise((resolve) => child.once('close', resolve))).toBe(0);
  }, 60_000);

  // Concurrently: each is a few seconds of mostly waiting on a child process.
  it.concurrent.each(PACKAGES.map((pkg) => pkg.name))('%s: publint and arethetypeswrong find nothing', async (name) => {
    const installed = join(dir, 'node_modules', name);
    const lint = await run(bin('publint'), ['run', installed, '--pack', 'false', '--strict']);
    expect(lint.stdout).toContain('All good!');
    // esm-only: these are ES modules only, on purpose, so require() from CommonJS is not checked.
    // attw exits with 1 on any other problem, and the failure shows its report.
    await run(bin('attw'), [tarballs.get(name)!, '--profile', 'esm-only', '--no-definitely-typed', '--format', 'ascii', '--no-emoji']);
  }, 60_000);
});

/** Database drivers and their type packages: none may appear in @beckon/server's public types. */
const DRIVERS = ['better-sqlite3', '@types/better-sqlite3', 'pg', '@types/pg', 'pg-pool', 'pg-copy-streams', 'postgres'];

/** The packages the declaration file `entry` imports types from, following its relative imports. */
function publicTypeImports(entry: string): string[] {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*['"]([^'"]+)['"]/g)) {
      if (specifier!.startsWith('.')) visit(join(file, '..', specifier!.replace(/\.js$/, '.d.ts')));
      else packages.add(specifier!);
    }
  };
  visit(entry);
  return [...packages].sort();
}

/** A page event as a browser sends it. */
function event(messageId: string, type: string, extra: object = {}) {
  return { type, messageId, anonymousId: 'visitor-1', timestamp: '2026-01-01T10:00:00.000Z', context: { library: { name: 'consumer', version: '1' } }, ...extra };
}

const ENTRY_POINTS = PACKAGES.flatMap((pkg) => {
  const exports = readJson(join(root, 'packages', pkg.folder, 'package.json')).exports ?? {};
  return Object.keys(exports).filter((key) => key !== './package.json' && !key.endsWith('.json')).map((key) => (key === '.' ? pkg.name : `${pkg.name}${key.slice(1)}`));
});

const SERVER_CONSUMER = `
import { createServer, listen, openStore, VERSION, type BeckonServerOptions, type LogEntry } from '@beckon/server';
import { compileCatalog, parseCatalog } from '@beckon/rules';
import { parseBatch } from '@beckon/tracking/schema';

const options: BeckonServerOptions = { db: './beckon.sqlite', catalog: './messages.json', log: (entry: LogEntry) => console.log(entry.message) };
export const handler: typeof createServer = createServer;
export const started: typeof listen = listen;
export const opened: typeof openStore = openStore;
export const parsed = parseCatalog({ messages: [] });
export const compiled = parsed.errors.length === 0 ? compileCatalog(parsed.messages) : undefined;
export const batch = parseBatch({ batch: [] });
console.log(VERSION, options);
`;

const BROWSER_CONSUMER = `
import { createBeckon } from '@beckon/web';
import { BeckonMessage } from '@beckon/elements';
import { createTracker } from '@beckon/tracking';
import { createElement, type ReactNode } from 'react';
import { BeckonProvider, BeckonSlot, useMessages, type HeadlessMessage } from '@beckon/react';
import { createNativeBeckon, loadAsyncStorage, type AsyncStorageLike } from '@beckon/react/native';
export const beckon = createBeckon;
export const element: typeof BeckonMessage = BeckonMessage;
export const tracker = createTracker;
function Modals(): ReactNode {
  const messages: readonly HeadlessMessage[] = useMessages({ layout: 'modal' });
  return messages.map((m) => createElement('dialog', { key: m.id, onClick: () => m.action('ok') }, m.content.title));
}
export const app = createElement(BeckonProvider, { options: { endpoint: 'https://beckon.example.com', render: false } }, createElement(BeckonSlot, { name: 'footer' }), createElement(Modals));
export const native = async (storage: AsyncStorageLike) => createNativeBeckon({ endpoint: 'https://beckon.example.com', storage: await loadAsyncStorage(storage) });
`;

/** What the Node script's store gives, on either engine. */
const STORED = {
  first: { accepted: 2, duplicates: 0 },
  replay: { accepted: 0, duplicates: 2 },
  metrics: [expect.objectContaining({ messageId: 'welcome', impressions: 1, clicks: 1 })],
};

/** Opens a store on the database given as its argument (a PostgreSQL URL), else on a new SQLite file. */
const USE_SCRIPT = `
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const modules = {};
for (const entry of ${JSON.stringify(ENTRY_POINTS)}) modules[entry] = typeof (await import(entry)) === 'object';
const { openStore } = await import('@beckon/server');
const store = await openStore(process.argv[2] ?? join(mkdtempSync(join(tmpdir(), 'beckon-use-')), 'beckon.sqlite'));
const shown = ${JSON.stringify(event('shown-1', 'track', { event: 'Message Shown', properties: { message_id: 'welcome', layout: 'banner' } }))};
const clicked = ${JSON.stringify(event('clicked-1', 'track', { event: 'Message Clicked', properties: { message_id: 'welcome', action_id: 'go', url: '/go' } }))};
const first = await store.insertBatch([shown, clicked]);
const replay = await store.insertBatch([shown, clicked]);
const metrics = await store.metrics({ from: Date.parse('2026-01-01T00:00:00Z'), to: Date.parse('2026-01-02T00:00:00Z') });
await store.close();
console.log(JSON.stringify({ modules, first, replay, metrics }));
`;
