import { describe, expect, it } from 'vitest';
import type { LogEntry } from './log.js';
import { refusalPeriod, startRetentionSweep, DEFAULT_RETAIN_ANONYMOUS_MS } from './retention.js';
import { emptySweep, type RetentionPolicy, type SweepStep } from './storage/people.js';

const DAY = 86_400_000;

/** A storage whose sweep takes `steps` steps of 10 deleted events each; `fail` makes a step reject once. */
function fakeStorage(steps: number, fail?: number) {
  const calls: Array<{ policy: RetentionPolicy; now: number }> = [];
  let resolveDone: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  return {
    calls,
    done,
    async sweepRetention(policy: RetentionPolicy, now: number): Promise<SweepStep> {
      calls.push({ policy, now });
      if (calls.length === fail) throw new Error('database down');
      const step = emptySweep(calls.length >= steps + (fail ? 1 : 0));
      step.deleted.events = 10;
      if (step.done) resolveDone();
      return step;
    },
  };
}

describe('startRetentionSweep', () => {
  it('runs a pass step by step until it is done, logs what it deleted, and waits for the next pass', async () => {
    const storage = fakeStorage(4);
    const logs: LogEntry[] = [];
    const sweep = startRetentionSweep(storage, { anonymousMs: 30 * DAY }, { now: () => 1234, log: (e) => logs.push(e), timing: { firstDelayMs: 0, minPauseMs: 0, intervalMs: 60_000 } });
    await storage.done;
    await sweep.stop();
    expect(storage.calls).toEqual(Array.from({ length: 4 }, () => ({ policy: { anonymousMs: 30 * DAY }, now: 1234 })));
    expect(logs).toEqual([{ level: 'info', message: 'retention sweep done', fields: { deleted: { events: 40, ledgers: 0, erasures: 0, partitions: 0 } } }]);
  });

  it('logs a failed step and starts the pass again at the next interval', async () => {
    const storage = fakeStorage(2, 2);
    const logs: LogEntry[] = [];
    const sweep = startRetentionSweep(storage, { eventsMs: DAY }, { now: () => 0, log: (e) => logs.push(e), timing: { firstDelayMs: 0, minPauseMs: 0, intervalMs: 5 } });
    await storage.done;
    await sweep.stop();
    expect(logs[0]).toMatchObject({ level: 'warn', message: expect.stringContaining('database down') });
    expect(storage.calls).toHaveLength(3);
  });

  it('refuses late events of an erased person for the longer retention', () => {
    expect(refusalPeriod({})).toBe(DEFAULT_RETAIN_ANONYMOUS_MS);
    expect(refusalPeriod({ anonymousMs: 7 * DAY })).toBe(7 * DAY);
    expect(refusalPeriod({ anonymousMs: 7 * DAY, eventsMs: 90 * DAY })).toBe(90 * DAY);
  });
});
