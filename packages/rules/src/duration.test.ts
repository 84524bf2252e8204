import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['10m', 600_000],
    ['12h', 43_200_000],
    ['7d', 604_800_000],
    ['1.5s', 1_500],
    [250, 250],
    [0, 0],
  ])('reads %j as %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each([['-5s'], ['5 weeks'], ['s'], [''], [-1], [Number.NaN], [Number.POSITIVE_INFINITY], [null], [{}]])('refuses %j', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [-5_000, '0ms'],
    [999, '999ms'],
    [1_000, '1s'],
    [90_000, '1.5m'],
    [3_600_000, '1h'],
    [86_400_000, '1d'],
    [129_600_000, '1.5d'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
