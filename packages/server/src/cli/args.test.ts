import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from './args.js';

const spec = { port: { type: 'string' }, origin: { type: 'string', multiple: true }, help: { type: 'boolean' } } as const;

describe('parseArgs', () => {
  it('reads values after a space or an equals sign, flags and positionals', () => {
    expect(parseArgs(['a.json', '--port', '80', '--origin=https://x.example', '--origin', 'https://y.example', '--help'], spec)).toEqual({
      options: { port: '80', origin: ['https://x.example', 'https://y.example'], help: true },
      positionals: ['a.json'],
    });
  });

  it('treats everything after -- as positional', () => {
    expect(parseArgs(['--', '--port'], spec).positionals).toEqual(['--port']);
  });

  it.each([
    [['--nope'], 'unknown option --nope'],
    [['--nope=1'], 'unknown option --nope'],
    [['--port'], 'option --port needs a value'],
    [['--port', '--help'], 'option --port needs a value'],
    [['--help=yes'], 'option --help takes no value'],
    [['--port', '1', '--port', '2'], 'option --port is given twice'],
  ])('%j is a usage error: %s', (args, message) => {
    expect(() => parseArgs(args, spec)).toThrow(UsageError);
    expect(() => parseArgs(args, spec)).toThrow(message);
  });
});
