// The server README's Python example ("Sending from other libraries"), run as written with the
// machine's python3 (standard library only) against a real server with a write key.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { Database, startTestServer, type TestServer } from './server-harness.js';

const README = new URL('../../packages/server/README.md', import.meta.url);

/** The first ```python block after the "Sending from other libraries" heading. */
function pythonExample(): string {
  const text = readFileSync(README, 'utf8');
  const section = text.slice(text.indexOf('### Sending from other libraries'));
  const match = /```python\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error('the README has no Python example under "Sending from other libraries"');
  return match[1]!;
}

let server: TestServer;
afterEach(async () => server?.close());

it('stores what the README’s Python example sends (gzip, Basic auth), and links the visitor to the user', async () => {
  server = await startTestServer({ writeKey: 'w-python' });
  const script = join(server.dir, 'send.py');
  writeFileSync(script, pythonExample());
  const env = { ...process.env, BECKON_URL: server.url, BECKON_WRITE_KEY: 'w-python' };
  const { stdout } = await promisify(execFile)('python3', [script], { env, timeout: 20_000 });
  expect(JSON.parse(stdout)).toEqual({ accepted: 2, duplicates: 0 });
  const db = new Database(server.dbFile, { readonly: true });
  try {
    const rows = db.prepare('SELECT e.type, e.name, p.key AS person, e.body FROM events e LEFT JOIN people p ON p.id = e.person ORDER BY e.seq').all() as Array<{
      type: string;
      name: string | null;
      person: string;
      body: string;
    }>;
    expect(rows.map((row) => [row.type, row.name, row.person])).toEqual([
      ['track', 'Order Completed', 'u:u-1001'],
      ['identify', null, 'u:u-1001'],
    ]);
    // The identify was sent without a timestamp: it has the time the server received it.
    expect(JSON.parse(rows[1]!.body)).toMatchObject({ traits: { plan: 'pro' }, timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
  } finally {
    db.close();
  }
  // With a wrong key the example fails loudly (urllib raises on 401).
  const wrong = promisify(execFile)('python3', [script], { env: { ...env, BECKON_WRITE_KEY: 'nope' }, timeout: 20_000 });
  await expect(wrong).rejects.toThrow(/HTTP Error 401/);
});
