// `beckon validate` on catalogs whose patterns used to freeze a server or a browser tab: the glob "/(a+)+$"
// (picomatch made it an exponential regex) is refused with what to write instead; the regex
// "^/(?:a*)?(?:a*)?(?:a*)?(?:a*)?b" (polynomial when backtracking) is accepted, because it runs as an automaton.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileCatalog, evaluate, emptyLedger, parseCatalog } from '@beckon/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli } from './server-harness.js';

let cli: string;
let dir: string;
beforeAll(async () => {
  cli = await bundleCli('test-cli-patterns');
  dir = mkdtempSync(join(tmpdir(), 'beckon-cli-patterns-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function validate(catalog: unknown): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const file = join(dir, 'messages.json');
  writeFileSync(file, JSON.stringify(catalog));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'validate', 'messages.json'], { cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const message = (pages: unknown) => ({ id: 'a', pages, layout: { type: 'banner' }, content: { title: 'x' } });
const polynomial = { regex: '^/(?:a*)?(?:a*)?(?:a*)?(?:a*)?b' };

describe('beckon validate: patterns that could not match in linear time', () => {
  it('refuses the glob "/(a+)+$", naming the pattern, why, and what to write instead', async () => {
    const run = await validate({ messages: [message({ include: ['/ok', '/(a+)+$'] })] });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'messages.json: messages[0].pages.include[1]: "/(a+)+$" is refused: it has "+" inside "(…)", which picomatch reads as a regular expression; write "+(…)" for one or more, or "\\+" for a plus sign',
    );
  });

  it('accepts the regex ^/(?:a*)?(?:a*)?(?:a*)?(?:a*)?b, which then decides on an 8,192-character URL at once', async () => {
    expect(await validate({ messages: [message({ include: [polynomial] })] })).toMatchObject({ code: 0, stdout: 'messages.json: valid, 1 message\n' });
    const catalog = compileCatalog(parseCatalog([message({ include: [polynomial] })]).messages);
    const url = `https://shop.example.com/${'a'.repeat(8160)}`;
    const context = { url, identified: false, visitorId: 'v' };
    expect(evaluate(catalog, context, emptyLedger(), 0).skipped.map((s) => s.reason)).toEqual(['page']);
    expect(evaluate(catalog, { ...context, url: `${url}b` }, emptyLedger(), 0).show).toHaveLength(1);
  });

  it('refuses a regex with a lookahead or a backreference, saying what to write instead', async () => {
    const run = await validate({ messages: [message({ include: [{ regex: '^/(?!admin)' }], exclude: [{ regex: '(a)\\1' }] })] });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('messages[0].pages.include[0]: { "regex": "^/(?!admin)" } is refused: it uses a lookaround');
    expect(run.stderr).toContain('put what must not match in "exclude"');
    expect(run.stderr).toContain('messages[0].pages.exclude[0]: { "regex": "(a)\\\\1" } is refused: it uses a backreference');
  });
});
