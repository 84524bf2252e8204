// The real `beckon` command in its own process: help, usage errors, validate, compile, serve with
// graceful shutdown, start-up errors, and a crash in the middle of ingesting.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { compileCatalog, parseCatalog } from '@beckon/rules';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bundleCli, Database, makeEvent, TEST_CATALOG } from './server-harness.js';

let NODE_ARGS: string[];
beforeAll(async () => {
  NODE_ARGS = [await bundleCli('test-cli')];
});

let dir: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'beckon-cli-'));
  writeFileSync(join(dir, 'messages.json'), JSON.stringify(TEST_CATALOG));
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `beckon ...args` to the end. */
function beckon(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...NODE_ARGS, ...args], { cwd: dir });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** The JSON log lines a run wrote on stderr (every line of it must be one). */
const logLines = (run: Run): Array<Record<string, unknown>> =>
  run.stderr.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

/** Starts `beckon serve` and resolves once it listens. */
async function serve(extra: string[] = []): Promise<{ url: string; child: ChildProcess; done: Promise<Run>; db: string }> {
  const db = join(dir, 'beckon.sqlite');
  const child = spawn(process.execPath, [...NODE_ARGS, 'serve', '--catalog', 'messages.json', '--db', db, '--port', '0', ...extra], { cwd: dir });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c));
  const done = new Promise<Run>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      stdout += `${line}\n`;
      const match = /listening on (\S+)/.exec(line);
      if (match) resolve(match[1]!);
    });
    void done.then((run) => reject(new Error(`serve exited early: ${run.stderr}`)));
  });
  return { url, child, done, db };
}

describe('beckon --help and usage errors', () => {
  it('prints help for the command and each subcommand, exit code 0', async () => {
    for (const [args, text] of [
      [['--help'], 'Usage: beckon <command> [options]'],
      [['serve', '--help'], 'Usage: beckon serve --catalog <messages.json> [options]'],
      [['validate', '-h'], 'Usage: beckon validate <messages.json>'],
      [['compile', '--help'], 'Usage: beckon compile <messages.json> > compiled.json'],
    ] as const) {
      const run = await beckon([...args]);
      expect(run.code, args.join(' ')).toBe(0);
      expect(run.stdout).toContain(text);
    }
  });

  it('exits with 2 and says what is wrong for usage errors', async () => {
    const cases: Array<[string[], string]> = [
      [['frobnicate'], 'unknown command "frobnicate"'],
      [['serve', '--catalog', 'messages.json', '--nope'], 'beckon serve: unknown option --nope. See beckon serve --help'],
      [['serve'], '--catalog is required'],
      [['serve', '--catalog', 'messages.json', '--port', '99999'], '--port "99999" is not a port'],
      [['serve', '--catalog'], 'option --catalog needs a value'],
      [['serve', '--catalog', 'messages.json', '--idle-timeout', '10s'], '--idle-timeout "10s" is not a whole number of 0 or more (default 15000)'],
      [['validate'], 'pass exactly one catalog file'],
    ];
    for (const [args, message] of cases) {
      const run = await beckon(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toContain(message);
    }
    const bare = await beckon([]);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toContain('Commands:');
  });
});

describe('beckon validate and compile', () => {
  const broken = { messages: [{ id: 'Bad Id', layout: { type: 'modal' }, content: {} }, { id: 'ok', layout: { type: 'modal' }, content: { title: 'x' }, pages: { include: ['/pri[cing'] } }] };

  it('validate: exit 0 for a valid catalog; every error with its path and exit 1 otherwise', async () => {
    const valid = await beckon(['validate', 'messages.json']);
    expect(valid).toMatchObject({ code: 0, stdout: 'messages.json: valid, 1 message\n' });
    writeFileSync(join(dir, 'broken.json'), JSON.stringify(broken));
    const invalid = await beckon(['validate', 'broken.json']);
    expect(invalid.code).toBe(1);
    const lines = invalid.stderr.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^broken\.json: messages\[0\]\.id: "Bad Id" /),
      expect.stringMatching(/^broken\.json: messages\[0\]\.content: /),
      expect.stringMatching(/^broken\.json: messages\[1\]\.pages\.include\[0\]: "\/pri\[cing" is not a valid pattern/),
      'broken.json: 3 errors',
    ]);
    expect(await beckon(['validate', 'missing.json'])).toMatchObject({ code: 1, stderr: expect.stringContaining('missing.json: cannot be read') });
  });

  it('compile: the compiled catalog as JSON on stdout, or the errors and exit 1', async () => {
    const run = await beckon(['compile', 'messages.json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(compileCatalog(parseCatalog(TEST_CATALOG).messages));
    writeFileSync(join(dir, 'broken.json'), JSON.stringify(broken));
    const failed = await beckon(['compile', 'broken.json']);
    expect(failed).toMatchObject({ code: 1, stdout: '' });
    expect(failed.stderr).toContain('messages[1].pages.include[0]');
  });
});

/** Starts a POST of one batch whose body is sent only when `finish` is called. */
function slowPost(url: string, body: string): { finish(): void; response: Promise<{ status: number; body: string }> } {
  let req!: ReturnType<typeof request>;
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req = request(`${url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
  });
  req.write(body.slice(0, 10));
  return { finish: () => req.end(body.slice(10)), response };
}

describe('beckon serve', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`stops on ${signal}: the request in flight finishes, the database is closed cleanly, exit code 0`, async () => {
      const { url, child, done, db } = await serve();
      expect((await fetch(`${url}/v1/health`)).status).toBe(200);
      const inFlight = slowPost(url, JSON.stringify({ batch: [makeEvent(), makeEvent()] }));
      await new Promise((r) => setTimeout(r, 100));
      // Once it says it is stopping, it no longer accepts connections (waiting a fixed time was not enough on a busy machine).
      const stopping = new Promise<void>((resolve) => {
        const heard = (chunk: Buffer) => String(chunk).includes('received, finishing requests in flight') && (child.stderr!.off('data', heard), resolve());
        child.stderr!.on('data', heard);
      });
      child.kill(signal);
      await stopping;
      // New connections are refused while the old request still completes.
      await expect(fetch(`${url}/v1/health`)).rejects.toThrow();
      inFlight.finish();
      expect(await inFlight.response).toEqual({ status: 200, body: '{"accepted":2,"duplicates":0}' });
      const run = await done;
      expect(run.code).toBe(0);
      // stderr is a pipe here: JSON lines, one per entry, with pino's fields and ours.
      const lines = logLines(run);
      for (const line of lines) expect(line).toMatchObject({ name: 'beckon', pid: child.pid, time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
      expect(lines.map(({ level, msg }) => ({ level, msg }))).toEqual([
        { level: 'info', msg: `listening on ${url}` },
        { level: 'info', msg: `${signal} received, finishing requests in flight` },
        { level: 'info', msg: 'stopped, database closed' },
      ]);
      expect(lines[0]).toMatchObject({ url, database: db, catalog: 'messages.json', version: expect.any(String) });
      expect(lines[1]).toMatchObject({ signal });
      // A clean close checkpoints the WAL into the database file and removes it.
      expect(existsSync(`${db}-wal`)).toBe(false);
      const check = new Database(db, { readonly: true });
      expect(check.prepare('SELECT count(*) FROM events').pluck().get()).toBe(2);
      check.close();
    });
  }

  it('never stores part of a batch when the process is killed in the middle of ingesting', async () => {
    const { url, child, done, db } = await serve();
    const acknowledged = new Set<number>();
    let sent = 0;
    // Four clients send batches of 100 back to back until the server dies under them.
    const client = async () => {
      for (;;) {
        const batch = sent++;
        const events = Array.from({ length: 100 }, () => makeEvent({ properties: { batch } }));
        try {
          const response = await fetch(`${url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ batch: events }) });
          if (response.status === 200) acknowledged.add(batch);
        } catch {
          return;
        }
      }
    };
    const clients = Array.from({ length: 4 }, client);
    while (acknowledged.size < 20) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    await Promise.all(clients);
    expect((await done).signal).toBe('SIGKILL');
    expect(sent).toBeGreaterThan(acknowledged.size);
    const check = new Database(db, { readonly: true });
    const counts = check.prepare("SELECT json_extract(body, '$.properties.batch') AS batch, count(*) AS n FROM events GROUP BY batch").all() as Array<{ batch: number; n: number }>;
    check.close();
    expect(counts.filter((row) => row.n !== 100)).toEqual([]);
    // Every acknowledged batch survived the crash.
    expect(counts.map((row) => row.batch)).toEqual(expect.arrayContaining([...acknowledged]));
  });

  it('says which file is wrong when the database is not SQLite, locked, or read-only', async () => {
    const serveOn = (db: string) => beckon(['serve', '--catalog', 'messages.json', '--db', db, '--port', '0']);
    /** A database with a table in it, as Beckon made it. */
    const existing = (file: string) => {
      const db = new Database(file);
      db.exec('CREATE TABLE beckon_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
      return db;
    };
    const notDb = join(dir, 'notes.sqlite');
    writeFileSync(notDb, 'These are my notes, not a database. '.repeat(40));
    const wrong = await serveOn(notDb);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`database file "${notDb}" is not a SQLite database`);

    const lockedFile = join(dir, 'locked.sqlite');
    const holder = existing(lockedFile);
    holder.exec('BEGIN EXCLUSIVE');
    const locked = await serveOn(lockedFile);
    holder.exec('ROLLBACK');
    holder.close();
    expect(locked.code).toBe(1);
    expect(locked.stderr).toContain(`database file "${lockedFile}" is locked by another process`);

    const readOnlyFile = join(dir, 'readonly.sqlite');
    existing(readOnlyFile).close();
    // File permissions bind nobody running as root, so the file says it itself: a write version above 2
    // (byte 18 of the header) makes SQLite treat a database as read-only, whoever opens it, wherever it is.
    const header = openSync(readOnlyFile, 'r+');
    writeSync(header, Buffer.from([3]), 0, 1, 18);
    closeSync(header);
    const readOnly = await serveOn(readOnlyFile);
    expect(readOnly.code).toBe(1);
    expect(readOnly.stderr).toContain(`database file "${readOnlyFile}" is read-only`);
  });

  it('says so when the port is taken or the catalog has errors', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    const taken = await beckon(['serve', '--catalog', 'messages.json', '--db', 'b.sqlite', '--port', String(port)]);
    blocker.close();
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);

    writeFileSync(join(dir, 'broken.json'), JSON.stringify({ messages: [{ id: 'x', layout: { type: 'sideways' }, content: { title: 'x' } }] }));
    const broken = await beckon(['serve', '--catalog', 'broken.json', '--db', 'b.sqlite', '--port', '0']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('catalog "broken.json" has an error:\n  messages[0].layout.type');
  });

  it('takes keys from the environment and origins from --origin', async () => {
    const child = spawn(process.execPath, [...NODE_ARGS, 'serve', '--catalog', 'messages.json', '--db', join(dir, 'k.sqlite'), '--port', '0', '--origin', 'https://a.example,https://b.example'], {
      cwd: dir,
      env: { ...process.env, BECKON_WRITE_KEY: 'env-write', BECKON_READ_KEY: 'env-read' },
    });
    children.push(child);
    const url = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).on('line', (line) => /listening on (\S+)/.test(line) && resolve(/listening on (\S+)/.exec(line)![1]!)));
    const post = (headers: Record<string, string>) => fetch(`${url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ batch: [makeEvent()] }) });
    expect((await post({})).status).toBe(401);
    expect((await post({ 'x-beckon-write-key': 'env-write', origin: 'https://b.example' })).status).toBe(200);
    expect((await post({ 'x-beckon-write-key': 'env-write', origin: 'https://c.example' })).status).toBe(403);
    expect((await fetch(`${url}/v1/metrics`)).status).toBe(401);
    expect((await fetch(`${url}/v1/metrics`, { headers: { 'x-beckon-read-key': 'env-read' } })).status).toBe(200);
    child.kill('SIGTERM');
  });
});
