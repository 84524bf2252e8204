import { afterAll, beforeAll } from 'vitest';
import { runStorageConformance } from '../conformance/suite.js';
import { openPostgresStorage } from './engine.js';
import { createTestDatabase, type TestDatabase } from '../conformance/postgres-database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

runStorageConformance({
  name: 'postgres',
  fresh: async (options) => {
    const storage = openPostgresStorage(await database.schemaUrl(), { ...options, maxConnections: 4 });
    await storage.ready;
    return storage;
  },
  metricsRuns: 40,
});
