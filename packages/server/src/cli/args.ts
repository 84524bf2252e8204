// A small argument parser with errors that name the option and the fix.

/** How one option is written: a value (`--port 8787`, `--port=8787`) or a flag (`--help`). */
export interface OptionSpec {
  type: 'string' | 'boolean';
  /** May be given more than once; values are collected in order. */
  multiple?: boolean;
}

/** Parsed arguments: option values by name, and the positional arguments. */
export interface ParsedArgs {
  options: Record<string, string | string[] | boolean | undefined>;
  positionals: string[];
}

/** A mistake on the command line; the CLI prints it with a pointer to --help and exits with 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parses `args` against `spec`; throws a UsageError for an unknown option or a missing value. */
export function parseArgs(args: readonly string[], spec: Readonly<Record<string, OptionSpec>>): ParsedArgs {
  const options: ParsedArgs['options'] = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const match = /^--?([^=]+)(?:=(.*))?$/s.exec(arg)!;
    const name = match[1]!;
    const option = spec[name];
    if (option === undefined) throw new UsageError(`unknown option ${arg.split('=')[0]}`);
    if (option.type === 'boolean') {
      if (match[2] !== undefined) throw new UsageError(`option --${name} takes no value`);
      options[name] = true;
      continue;
    }
    let value = match[2];
    if (value === undefined) {
      const next = args[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`option --${name} needs a value`);
      value = next;
      i += 1;
    }
    if (option.multiple) options[name] = [...((options[name] as string[] | undefined) ?? []), value];
    else if (options[name] !== undefined) throw new UsageError(`option --${name} is given twice`);
    else options[name] = value;
  }
  return { options, positionals };
}
