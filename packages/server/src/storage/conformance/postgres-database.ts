// For tests: a PostgreSQL database of their own, made and dropped by the test file, so runs in
// parallel never see each other's data. Not part of the package's API.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { redactUrl } from '../errors.js';

/** The server tests use: BECKON_TEST_DATABASE_URL, else the local PostgreSQL with trust auth. */
export const TEST_DATABASE_URL = process.env['BECKON_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A database made for one test file: `url` of it, `schemaUrl(name)` of a fresh schema in it, `drop()` at the end. */
export interface TestDatabase {
  url: string;
  /** Creates a schema and returns a URL whose connections use it (search_path). */
  schemaUrl(): Promise<string>;
  /** Runs SQL on the test database as its owner (for tests that break things on purpose). */
  admin: pg.Client;
  /** Runs SQL on the server's own database (BECKON_TEST_DATABASE_URL's), e.g. ALTER DATABASE of the test one. */
  server: pg.Client;
  /** The test database's name. */
  name: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Creates a uniquely named database on the test server; fails with a sentence saying how to get one. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `beckon_test_${randomBytes(6).toString('hex')}`;
  const server = new pg.Client({ connectionString: TEST_DATABASE_URL });
  try {
    await server.connect();
  } catch (error) {
    throw new Error(
      `the PostgreSQL tests need a server at ${redactUrl(TEST_DATABASE_URL)} and could not connect (${(error as Error).message}): ` +
        'start one (npm test installs and starts Debian\'s postgresql when run as root), or point BECKON_TEST_DATABASE_URL at one',
      { cause: error },
    );
  }
  await server.query(`CREATE DATABASE ${name}`);
  const url = withDatabase(TEST_DATABASE_URL, name);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  let schemas = 0;
  return {
    url,
    admin,
    server,
    name,
    async schemaUrl() {
      const schema = `s${schemas++}`;
      await admin.query(`CREATE SCHEMA ${schema}`);
      const parsed = new URL(url);
      parsed.searchParams.set('options', `-c search_path=${schema}`);
      return parsed.toString();
    },
    async drop() {
      await admin.end().catch(() => {});
      await server.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await server.end();
    },
  };
}
