import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { runStorageConformance } from '../conformance/suite.js';
import { openSqliteStorage } from './engine.js';

const dir = mkdtempSync(join(tmpdir(), 'beckon-conformance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

runStorageConformance({
  name: 'sqlite',
  fresh: async (options) => openSqliteStorage(join(dir, `c${files++}.sqlite`), options),
  metricsRuns: 100,
});
