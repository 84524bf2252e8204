import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTime } from './time.js';

describe('parseTime', () => {
  it('equals Date.parse on toISOString output and on its near misses', () => {
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    const stamp = fc
      .record({
        year: fc.integer({ min: 0, max: 9999 }),
        month: fc.integer({ min: 0, max: 13 }),
        day: fc.integer({ min: 0, max: 32 }),
        hour: fc.integer({ min: 0, max: 25 }),
        minute: fc.integer({ min: 0, max: 60 }),
        second: fc.integer({ min: 0, max: 61 }),
        ms: fc.integer({ min: 0, max: 999 }),
      })
      .map(({ year, month, day, hour, minute, second, ms }) => `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.${pad(ms, 3)}Z`);
    fc.assert(fc.property(stamp, (text) => Object.is(parseTime(text), Date.parse(text))), { numRuns: 20_000 });
    fc.assert(fc.property(fc.date({ noInvalidDate: true }), (date) => parseTime(date.toISOString()) === date.getTime()), { numRuns: 5000 });
  });

  it('leaves every other form to Date.parse', () => {
    for (const text of [
      '2026-01-31T12:00:00Z',
      '2026-01-31T12:00:00.000+02:00',
      '2026-01-31T24:00:00.000Z',
      '2026-01-31T12:00:60.000Z',
      '2026-01-3xT12:00:00.000Z',
      '2026-01-31 12:00:00.000Z',
      '+002026-01-31T12:00:00.000Z',
      '',
      'soon',
    ]) {
      expect(Object.is(parseTime(text), Date.parse(text)), text).toBe(true);
    }
    expect(parseTime(undefined as unknown as string)).toBeNaN();
  });
});
