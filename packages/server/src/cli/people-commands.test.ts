import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BeckonEvent } from '@beckon/tracking';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../store.js';
import { main, type CliIO } from './main.js';
import { parseRetention } from './people-commands.js';

let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'beckon-people-cli-'));
  db = join(dir, 'b.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {}, stopSignal: () => new Promise(() => {}) };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

let n = 0;
const at = (hour: number) => new Date(Date.UTC(2026, 0, 1, hour)).toISOString();
const track = (anonymousId: string, hour: number, userId?: string): BeckonEvent =>
  ({ type: 'track', event: 'Order Completed', messageId: `e${n++}`, anonymousId, userId, timestamp: at(hour) }) as BeckonEvent;
const identify = (anonymousId: string, userId: string, hour: number): BeckonEvent =>
  ({ type: 'identify', messageId: `e${n++}`, anonymousId, userId, timestamp: at(hour), traits: { email: 'ada@example.com' } }) as BeckonEvent;

async function seed(): Promise<void> {
  const store = await openStore(db);
  await store.insertBatch([track('laptop', 1), identify('laptop', 'ada', 2), track('phone', 3), identify('phone', 'ada', 4), track('bob', 1)]);
  await store.close();
}

describe('beckon export-person and beckon erase', () => {
  it('prints everything stored about a person, then erases them with their linked anonymous ids', async () => {
    await seed();
    const exported = await run('export-person', '--db', db, '--anonymous', 'phone');
    expect(exported.code).toBe(0);
    const person = JSON.parse(exported.stdout) as { userId: string; anonymousIds: string[]; events: unknown[]; identityLinks: unknown[] };
    expect(person).toMatchObject({ userId: 'ada', anonymousIds: ['laptop', 'phone'] });
    expect(person.events).toHaveLength(4);
    expect(person.identityLinks).toHaveLength(2);

    const erased = await run('erase', '--db', db, '--user', 'ada');
    expect(erased.code).toBe(0);
    expect(JSON.parse(erased.stdout)).toEqual({
      erased: { userId: 'ada', anonymousIds: ['laptop', 'phone'] },
      deleted: { events: 4, identityLinks: 2, ledgers: 1 },
      refusedUntil: expect.stringMatching(/^\d{4}-/),
    });
    expect(await run('erase', '--db', db, '--user', 'ada')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'beckon erase: nothing is stored about user id "ada"; nothing was deleted\n',
    });
    expect((await run('export-person', '--db', db, '--anonymous', 'laptop')).stderr).toBe('beckon export-person: nothing is stored about anonymous id "laptop"\n');
    expect(JSON.parse((await run('export-person', '--db', db, '--anonymous', 'bob')).stdout)).toMatchObject({ userId: null, events: [{}] });
  });

  it('refuses a person named twice or not at all, and a retention that is not a duration', async () => {
    const both = await run('erase', '--db', db, '--user', 'a', '--anonymous', 'b');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('name the person with exactly one of --user <userId> and --anonymous <anonymousId>');
    expect((await run('export-person', '--db', db)).code).toBe(2);
    expect((await run('erase', '--db', db, '--user', 'a', '--retain-events', '30')).stderr).toContain(
      '--retain-events "30" is not a duration: use a number with its unit, such as 30d or 12h',
    );
    expect((await run('serve', '--catalog', 'm.json', '--retain-anonymous', 'forever')).code).toBe(2);
  });

  it('reads retention flags as durations with units, or off where allowed', () => {
    expect(parseRetention('retain-anonymous', undefined, 7, true)).toBe(7);
    expect(parseRetention('retain-anonymous', 'off', 7, true)).toBeUndefined();
    expect(parseRetention('retain-events', '400d', undefined, false)).toBe(400 * 86_400_000);
    expect(parseRetention('retain-events', '12h', undefined, false)).toBe(12 * 3_600_000);
    expect(() => parseRetention('retain-events', 'off', undefined, false)).toThrow('--retain-events "off" is not a duration');
    expect(() => parseRetention('retain-events', '0d', undefined, false)).toThrow('is not a duration');
  });
});
