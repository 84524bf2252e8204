import { describe, expect, it } from 'vitest';
import { createLogger, type LoggerOptions } from './log.js';

/** A logger whose lines are collected, as a log shipper reading stderr would see them. */
function collect(options: Omit<LoggerOptions, 'destination'> = {}) {
  const lines: string[] = [];
  const log = createLogger({ ...options, destination: { write: (line) => lines.push(line) } });
  return { log, lines };
}

describe('createLogger', () => {
  it('writes one JSON object per line: level label, ISO time, pid, hostname, name, msg and the fields', () => {
    const { log, lines } = collect();
    log({ level: 'warn', message: 'catalog has errors', fields: { file: 'messages.json', errors: 2 } });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    expect(lines[0]!.trimEnd()).not.toContain('\n');
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toEqual({
      level: 'warn',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      pid: process.pid,
      hostname: expect.any(String),
      name: 'beckon',
      file: 'messages.json',
      errors: 2,
      msg: 'catalog has errors',
    });
  });

  it('writes an error as err with its type, message and stack', () => {
    const { log, lines } = collect();
    const cause = Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
    log({ level: 'error', message: 'POST /v1/batch failed', error: cause, fields: { method: 'POST' } });
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'error', msg: 'POST /v1/batch failed', method: 'POST' });
    expect(line['err']).toMatchObject({ type: 'Error', message: 'disk I/O error', code: 'SQLITE_IOERR', stack: expect.stringContaining('log.test.ts') });
  });

  it('leaves out entries below the level', () => {
    const { log, lines } = collect({ level: 'warn' });
    log({ level: 'info', message: 'catalog reloaded' });
    log({ level: 'error', message: 'writer failed' });
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['writer failed']);
  });

  it('writes readable lines for a terminal: time, level, message, then the fields', () => {
    const { log, lines } = collect({ pretty: true });
    log({ level: 'info', message: 'listening on http://127.0.0.1:8787', fields: { database: './beckon.sqlite' } });
    expect(lines.join('')).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: listening on http:\/\/127\.0\.0\.1:8787\n {4}database: "\.\/beckon\.sqlite"\n$/);
  });
});
