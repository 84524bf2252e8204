// The retention sweep in the background: a pass through the database every hour, in bounded steps
// with a pause after each as long as the step took, so the sweep has at most half of the database's
// time and batches are stored between its steps.
import type { Logger } from './log.js';
import type { Storage } from './storage/contract.js';
import type { RetentionPolicy, SweepStep } from './storage/people.js';

/** Thirty days: how long events of people who never identified are kept by default. */
export const DEFAULT_RETAIN_ANONYMOUS_MS = 30 * 24 * 3_600_000;

/** How the sweep is paced. */
export interface SweepTiming {
  /** Between the end of one pass and the next (default one hour). */
  intervalMs: number;
  /** Before the first pass (default five minutes, so that a process restarting often is not always sweeping). */
  firstDelayMs: number;
  /** Least pause between two steps of a pass (default 10 ms). */
  minPauseMs: number;
}

export const DEFAULT_SWEEP_TIMING: SweepTiming = { intervalMs: 3_600_000, firstDelayMs: 300_000, minPauseMs: 10 };

/** How long the late events of an erased person are refused: the longer retention, as their events would have been kept. */
export const refusalPeriod = (policy: RetentionPolicy): number => Math.max(policy.anonymousMs ?? DEFAULT_RETAIN_ANONYMOUS_MS, policy.eventsMs ?? 0);

/** A running sweep: `stop()` ends it after the step in flight (resolves once that step is done). */
export interface RetentionSweep {
  stop(): Promise<void>;
}

/**
 * Starts sweeping `storage` by `policy` in the background. Each pass is logged with what it deleted;
 * a failed step (the database gone) is logged and the pass tried again at the next interval.
 */
export function startRetentionSweep(
  storage: Pick<Storage, 'sweepRetention'>,
  policy: RetentionPolicy,
  options: { now: () => number; log: Logger; timing?: Partial<SweepTiming> },
): RetentionSweep {
  const timing = { ...DEFAULT_SWEEP_TIMING, ...options.timing };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const total: SweepStep['deleted'] = { events: 0, ledgers: 0, erasures: 0, partitions: 0 };

  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => (running = step()), ms);
    // The sweep alone never keeps the process alive.
    timer.unref();
  };

  async function step(): Promise<void> {
    const started = performance.now();
    let result: SweepStep;
    try {
      result = await storage.sweepRetention(policy, options.now());
    } catch (error) {
      options.log({ level: 'warn', message: `the retention sweep stopped for now and tries again in ${timing.intervalMs / 60_000} min: ${(error as Error).message}` });
      schedule(timing.intervalMs);
      return;
    }
    for (const kind of Object.keys(total) as Array<keyof typeof total>) total[kind] += result.deleted[kind];
    if (!result.done) {
      schedule(Math.max(timing.minPauseMs, performance.now() - started));
      return;
    }
    if (Object.values(total).some((n) => n > 0)) {
      options.log({ level: 'info', message: 'retention sweep done', fields: { deleted: { ...total } } });
    }
    for (const kind of Object.keys(total) as Array<keyof typeof total>) total[kind] = 0;
    schedule(timing.intervalMs);
  }

  schedule(timing.firstDelayMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
