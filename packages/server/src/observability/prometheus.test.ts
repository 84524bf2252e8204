import { describe, expect, it } from 'vitest';
import { HttpError } from '../http/errors.js';
import { DatabaseUnavailableError } from '../storage/errors.js';
import { createServerMetrics, rejectReason } from './prometheus.js';

describe('createServerMetrics', () => {
  it("exports what the engine's hooks report at scrape time: reachability, pool and outbox", async () => {
    let pending = 7;
    const metrics = createServerMetrics({
      engine: 'postgres',
      ping: async () => ({ engine: 'postgres', ok: false, latencyMs: 2000, error: 'database unreachable' }),
      poolStats: () => ({ engine: 'postgres', total: 8, idle: 3, waiting: 4, max: 10 }),
      outboxStats: async () => ({ pending, oldestPendingSeconds: 42 }),
    });
    const first = (await metrics.scrape()).body;
    expect(first).toContain('beckon_db_up{engine="postgres"} 0\n');
    expect(first).toContain('beckon_db_pool_connections{engine="postgres",state="open"} 8\n');
    expect(first).toContain('beckon_db_pool_connections{engine="postgres",state="idle"} 3\n');
    expect(first).toContain('beckon_db_pool_connections{engine="postgres",state="max"} 10\n');
    expect(first).toContain('beckon_db_pool_waiting_requests{engine="postgres"} 4\n');
    expect(first).toContain('beckon_outbox_pending_events{engine="postgres"} 7\n');
    expect(first).toContain('beckon_outbox_oldest_pending_seconds{engine="postgres"} 42\n');
    pending = 0;
    expect((await metrics.scrape()).body).toContain('beckon_outbox_pending_events{engine="postgres"} 0\n');
  });
});

describe('observeStore', () => {
  it('counts what a store stored, and the events of a batch it could not store by reason', async () => {
    const metrics = createServerMetrics({ engine: 'sqlite', ping: async () => ({ engine: 'sqlite', ok: true, latencyMs: 0 }), poolStats: () => ({ engine: 'sqlite', total: 2, idle: 2, waiting: 0, max: 2 }) });
    let down = false;
    const store = metrics.observeStore(async (events: string[]) => {
      if (down) throw new DatabaseUnavailableError('postgres://db/beckon', 'gone');
      return { accepted: events.length - 1, duplicates: 1 };
    });
    expect(await store(['a', 'b', 'c'], 0)).toEqual({ accepted: 2, duplicates: 1 });
    down = true;
    await expect(store(['d', 'e'], 0)).rejects.toThrow('gone');
    const body = (await metrics.scrape()).body;
    expect(body).toContain('beckon_events_accepted_total 2\n');
    expect(body).toContain('beckon_events_duplicate_total 1\n');
    expect(body).toContain('beckon_events_rejected_total{reason="unavailable"} 2\n');
  });
});

describe('rejectReason', () => {
  it('names why a batch was refused from the error that refused it', () => {
    expect(rejectReason(new HttpError(400, 'batch does not match the event schema', [{ path: 'batch[0].type', message: 'bad' }]))).toBe('invalid');
    expect(rejectReason(new HttpError(400, 'malformed JSON: Unexpected end of JSON input'))).toBe('malformed');
    expect(rejectReason(new HttpError(401, 'write key missing'))).toBe('unauthorized');
    expect(rejectReason(new HttpError(403, 'origin not allowed'))).toBe('forbidden');
    expect(rejectReason(new HttpError(413, 'too large'))).toBe('too_large');
    expect(rejectReason(new HttpError(415, 'content-type'))).toBe('unsupported_type');
    expect(rejectReason(new HttpError(429, 'slow down'))).toBe('rate_limited');
    expect(rejectReason(new HttpError(503, 'the database is unavailable right now'))).toBe('unavailable');
    expect(rejectReason(new DatabaseUnavailableError('postgres://db/beckon', 'gone'))).toBe('unavailable');
    expect(rejectReason(new Error('disk I/O error'))).toBe('error');
  });
});
