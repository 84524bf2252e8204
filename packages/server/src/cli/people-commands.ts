// `beckon erase` and `beckon export-person`: erasure of, and access to, one person's data straight on the
// database (no server needed), and the retention flags of `beckon serve`.
import { parseDuration } from '@beckon/rules';
import { refusalPeriod } from '../retention.js';
import { createStorage } from '../storage/open.js';
import type { PersonRef, RetentionPolicy } from '../storage/people.js';
import { parseArgs, UsageError, type OptionSpec } from './args.js';
import { ERASE_HELP, EXPORT_PERSON_HELP } from './help.js';
import type { CliIO } from './main.js';

/** A retention flag's value in ms: a duration with its unit (`30d`, `12h`), or `off` where allowed (undefined). */
export function parseRetention(flag: string, value: string | undefined, fallback: number | undefined, offAllowed: boolean): number | undefined {
  if (value === undefined) return fallback;
  if (offAllowed && value === 'off') return undefined;
  const ms = /^\d+(\.\d+)?(ms|s|m|h|d)$/.test(value.trim()) ? parseDuration(value) : undefined;
  if (ms === undefined || ms <= 0) {
    throw new UsageError(`--${flag} "${value}" is not a duration: use a number with its unit, such as 30d or 12h${offAllowed ? ', or off' : ''}`);
  }
  return ms;
}

const PERSON_OPTIONS: Record<string, OptionSpec> = {
  db: { type: 'string' },
  user: { type: 'string' },
  anonymous: { type: 'string' },
  'retain-anonymous': { type: 'string' },
  'retain-events': { type: 'string' },
  help: { type: 'boolean' },
  h: { type: 'boolean' },
};

/** The person the options name: exactly one of --user and --anonymous. */
function personOf(options: Record<string, unknown>, command: string): PersonRef {
  const user = options['user'] as string | undefined;
  const anonymous = options['anonymous'] as string | undefined;
  if ((user === undefined) === (anonymous === undefined)) {
    throw new UsageError(`name the person with exactly one of --user <userId> and --anonymous <anonymousId>: beckon ${command} --db beckon.sqlite --user ada`);
  }
  if (user === '' || anonymous === '') throw new UsageError(`--${user === '' ? 'user' : 'anonymous'} needs a non-empty id`);
  return user !== undefined ? { userId: user } : { anonymousId: anonymous! };
}

const describe = (ref: PersonRef): string => ('userId' in ref ? `user id ${JSON.stringify(ref.userId)}` : `anonymous id ${JSON.stringify(ref.anonymousId)}`);

/** Opens the database, runs `work` on it, closes it; a database that cannot be used is exit code 1 with its sentence. */
async function withStorage(args: readonly string[], io: CliIO, command: string, help: string, work: (storage: ReturnType<typeof createStorage>, ref: PersonRef, options: Record<string, unknown>) => Promise<number>): Promise<number> {
  const { options, positionals } = parseArgs(args, PERSON_OPTIONS);
  if (options['help'] || options['h']) {
    io.stdout(help);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}": name the person with --user or --anonymous`);
  const ref = personOf(options, command);
  const given = (options['db'] as string | undefined) ?? io.env['BECKON_DATABASE_URL'];
  const db = given === undefined || given === '' ? './beckon.sqlite' : given;
  let storage: ReturnType<typeof createStorage> | undefined;
  try {
    storage = createStorage(db);
    await storage.ready;
    return await work(storage, ref, options);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    io.stderr(`beckon ${command}: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await storage?.close();
  }
}

/** `beckon erase`: deletes everything stored about one person and prints what, as JSON. */
export function eraseCommand(args: readonly string[], io: CliIO): Promise<number> {
  return withStorage(args, io, 'erase', ERASE_HELP, async (storage, ref, options) => {
    const policy: RetentionPolicy = {
      anonymousMs: parseRetention('retain-anonymous', options['retain-anonymous'] as string | undefined, undefined, true),
      eventsMs: parseRetention('retain-events', options['retain-events'] as string | undefined, undefined, false),
    };
    const now = Date.now();
    const report = await storage.erasePerson(ref, now, now + refusalPeriod(policy));
    if (!report) {
      io.stderr(`beckon erase: nothing is stored about ${describe(ref)}; nothing was deleted\n`);
      return 1;
    }
    const { userId, anonymousIds, deleted, refusedUntil } = report;
    io.stdout(`${JSON.stringify({ erased: { userId, anonymousIds }, deleted, refusedUntil: new Date(refusedUntil).toISOString() }, null, 2)}\n`);
    return 0;
  });
}

/** `beckon export-person`: prints everything stored about one person as JSON. */
export function exportPersonCommand(args: readonly string[], io: CliIO): Promise<number> {
  return withStorage(args, io, 'export-person', EXPORT_PERSON_HELP, async (storage, ref) => {
    const exported = await storage.exportPerson(ref);
    if (!exported) {
      io.stderr(`beckon export-person: nothing is stored about ${describe(ref)}\n`);
      return 1;
    }
    io.stdout(`${JSON.stringify(exported, null, 2)}\n`);
    return 0;
  });
}
