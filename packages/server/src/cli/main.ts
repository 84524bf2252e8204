import type { Writable } from 'node:stream';
import { isLoopback } from '../http/cors.js';
import { DEFAULT_LIMITS, parseLimitArg, type ConnectionLimits } from '../http/limits.js';
import { listen } from '../listen.js';
import { createLogger } from '../log.js';
import { VERSION } from '../version.js';
import { parseArgs, UsageError, type OptionSpec } from './args.js';
import { redactUrl } from '../storage/errors.js';
import { migrateStorage } from '../storage/open.js';
import { COMPILE_HELP, ERASE_HELP, EXPORT_HELP, EXPORT_PERSON_HELP, MAIN_HELP, MIGRATE_HELP, SERVE_HELP, VALIDATE_HELP } from './help.js';
import { eraseCommand, exportPersonCommand, parseRetention } from './people-commands.js';
import { DEFAULT_RETAIN_ANONYMOUS_MS } from '../retention.js';
import { parseDestinations } from '../forward/destination.js';
import type { ForwardOptions } from '../forward/forwarder.js';
import { compileCommand, validateCommand } from './catalog-commands.js';
import { exportCommand } from './export-command.js';

/** Where the CLI writes and what it reads from its environment (injected so it can be tested). */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  /** True when stderr is a terminal: log lines are then written for a person rather than as JSON. */
  stderrIsTerminal?: boolean;
  /** The process's stdout as a stream, for output written with backpressure (`beckon export`). */
  stdoutStream?: Writable;
  /** Resolves when the process is asked to stop (SIGINT or SIGTERM). */
  stopSignal(): Promise<string>;
}

const HELP: OptionSpec = { type: 'boolean' };

/** The `beckon serve` flags of the timeouts and connection limits, and the option each sets. */
const LIMIT_FLAGS: Record<string, keyof ConnectionLimits> = {
  'headers-timeout': 'headersTimeout',
  'request-timeout': 'requestTimeout',
  'idle-timeout': 'idleTimeout',
  'keep-alive-timeout': 'keepAliveTimeout',
  'max-connections': 'maxConnections',
  'max-connections-per-client': 'maxConnectionsPerClient',
};

/** The limits given on the command line; a UsageError names a flag whose value is not a whole number. */
function limitOptions(options: Record<string, unknown>): ConnectionLimits {
  const limits: ConnectionLimits = {};
  for (const [flag, key] of Object.entries(LIMIT_FLAGS)) {
    try {
      const value = parseLimitArg(flag, options[flag] as string | undefined);
      if (value !== undefined) limits[key] = value;
    } catch (error) {
      throw new UsageError(`${(error as Error).message} (default ${DEFAULT_LIMITS[key]})`);
    }
  }
  return limits;
}

/** The `beckon serve` flags that pace forwarding, and the option each sets. */
const FORWARD_FLAGS: Record<string, keyof ForwardOptions> = {
  'forward-batch-size': 'batchSize',
  'forward-retry-min': 'minRetryMs',
  'forward-retry-max': 'maxRetryMs',
};

/** The forwarding destinations and pacing given on the command line; a UsageError names a wrong one. */
function forwardOptions(options: Record<string, unknown>, env: CliIO['env']): { forward: string[]; forwarding: ForwardOptions } {
  // BECKON_FORWARD (destinations separated by spaces or line breaks) keeps keys off the command line.
  const fromEnv = (env['BECKON_FORWARD'] ?? '').split(/\s+/).filter(Boolean);
  const forward = (options['forward'] as string[] | undefined) ?? fromEnv;
  try {
    parseDestinations(forward, options['forward'] ? '--forward' : 'BECKON_FORWARD');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const forwarding: ForwardOptions = {};
  for (const [flag, key] of Object.entries(FORWARD_FLAGS)) {
    const value = options[flag] as string | undefined;
    if (value === undefined) continue;
    (forwarding as Record<string, number>)[key] = positiveWholeNumber(flag, value);
  }
  return { forward, forwarding };
}

const SERVE_OPTIONS: Record<string, OptionSpec> = {
  catalog: { type: 'string' },
  db: { type: 'string' },
  'db-pool-size': { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  'write-key': { type: 'string' },
  'read-key': { type: 'string' },
  'admin-key': { type: 'string' },
  'retain-anonymous': { type: 'string' },
  'retain-events': { type: 'string' },
  'store-context': { type: 'boolean' },
  origin: { type: 'string', multiple: true },
  'allowed-host': { type: 'string', multiple: true },
  forward: { type: 'string', multiple: true },
  ...Object.fromEntries(Object.keys(FORWARD_FLAGS).map((flag) => [flag, { type: 'string' } as const])),
  ...Object.fromEntries(Object.keys(LIMIT_FLAGS).map((flag) => [flag, { type: 'string' } as const])),
  help: HELP,
  h: HELP,
};

function parsePort(value: string | undefined): number {
  if (value === undefined) return 8787;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new UsageError(`--port "${value}" is not a port: use a number from 0 to 65535`);
  return port;
}

/** `--db-pool-size` (or BECKON_DB_POOL_SIZE): PostgreSQL connections per process; undefined keeps the default. */
function parsePoolSize(value: string | undefined): number | undefined {
  return value === undefined || value === '' ? undefined : positiveWholeNumber('db-pool-size', value, ' (default 10)');
}

/** The value of `--flag` as a whole number above 0; otherwise a UsageError naming the flag (`hint` ends it). */
function positiveWholeNumber(flag: string, value: string, hint = ''): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--${flag} "${value}" is not a whole number above 0${hint}`);
  return Number(value);
}

/** An empty key would make every request fail in a confusing way; treat it as no key. */
const keyOrUndefined = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

async function serve(args: readonly string[], io: CliIO): Promise<number> {
  const { options, positionals } = parseArgs(args, SERVE_OPTIONS);
  if (options['help'] || options['h']) {
    io.stdout(SERVE_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}": pass the catalog as --catalog ${positionals[0]}`);
  const catalog = options['catalog'] as string | undefined;
  if (catalog === undefined) throw new UsageError('--catalog is required: beckon serve --catalog messages.json');
  const host = (options['host'] as string | undefined) ?? '127.0.0.1';
  const db = databaseOf(options, io);
  const list = (name: string) => ((options[name] as string[] | undefined) ?? []).flatMap((o) => o.split(',')).map((o) => o.trim()).filter(Boolean);
  const origins = list('origin');
  const allowedHosts = list('allowed-host');
  const readKey = keyOrUndefined(options['read-key'] ?? io.env['BECKON_READ_KEY']);
  const writeKey = keyOrUndefined(options['write-key'] ?? io.env['BECKON_WRITE_KEY']);
  const adminKey = keyOrUndefined(options['admin-key'] ?? io.env['BECKON_ADMIN_KEY']);
  const retainAnonymous = parseRetention('retain-anonymous', options['retain-anonymous'] as string | undefined, DEFAULT_RETAIN_ANONYMOUS_MS, true) ?? false;
  const retainEvents = parseRetention('retain-events', options['retain-events'] as string | undefined, undefined, false);
  const storeContext = options['store-context'] === true;
  const port = parsePort(options['port'] as string | undefined);
  const dbPoolSize = parsePoolSize((options['db-pool-size'] as string | undefined) ?? io.env['BECKON_DB_POOL_SIZE']);
  const limits = limitOptions(options);
  const { forward, forwarding } = forwardOptions(options, io.env);
  const log = createLogger({ destination: { write: io.stderr }, pretty: io.stderrIsTerminal === true });

  let server;
  try {
    server = await listen({
      catalog, db, dbPoolSize, host, port, origins, allowedHosts, readKey, writeKey, adminKey, retainAnonymous, retainEvents, storeContext, log, forward, forwarding, ...limits,
    });
  } catch (error) {
    io.stderr(`beckon serve: ${(error as Error).message}\n`);
    return 1;
  }
  // Listening for the signals before saying we listen: a SIGTERM right after that line must stop us gracefully.
  const stopSignal = io.stopSignal();
  const shownDb = redactUrl(db);
  const forwardLines = parseDestinations(forward).map((d) => `  forward:   ${d.name}\n`).join('');
  io.stdout(`Beckon ${VERSION} listening on ${server.url}\n  catalog:   ${catalog}\n  database:  ${shownDb}\n  dashboard: ${server.url}/dashboard\n${forwardLines}`);
  log({ level: 'info', message: `listening on ${server.url}`, fields: { version: VERSION, url: server.url, catalog, database: shownDb } });
  if (!isLoopback(host)) {
    const warn = (message: string) => log({ level: 'warn', message });
    if (readKey === undefined) warn('no --read-key: anyone who can reach this address can read metrics and the dashboard');
    if (writeKey === undefined) warn('no --write-key: anyone who can reach this address can send events');
    if (origins.length === 0) warn('no --origin: browsers on other origins cannot call the API');
  }
  const signal = await stopSignal;
  log({ level: 'info', message: `${signal} received, finishing requests in flight`, fields: { signal } });
  await server.close();
  log({ level: 'info', message: 'stopped, database closed' });
  return 0;
}

/** --db, else BECKON_DATABASE_URL, else the default SQLite file. */
function databaseOf(options: Record<string, unknown>, io: CliIO): string {
  const given = (options['db'] as string | undefined) ?? io.env['BECKON_DATABASE_URL'];
  return given === undefined || given === '' ? './beckon.sqlite' : given;
}

const MIGRATE_OPTIONS: Record<string, OptionSpec> = { db: { type: 'string' }, help: HELP, h: HELP };

/** `beckon migrate`: creates or upgrades the schema, prints what it did, and exits. */
async function migrateCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { options, positionals } = parseArgs(args, MIGRATE_OPTIONS);
  if (options['help'] || options['h']) {
    io.stdout(MIGRATE_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}": pass the database as --db ${positionals[0]}`);
  const db = databaseOf(options, io);
  try {
    const report = await migrateStorage(db);
    const shown = redactUrl(db);
    if (report.actions.length === 0) io.stdout(`${shown}: schema version ${report.to} is current; nothing to do\n`);
    for (const action of report.actions) io.stdout(`${shown}: ${action}\n`);
    return 0;
  } catch (error) {
    io.stderr(`beckon migrate: ${(error as Error).message}\n`);
    return 1;
  }
}

const COMMANDS: Record<string, { help: string; run(args: readonly string[], io: CliIO): Promise<number> }> = {
  serve: { help: SERVE_HELP, run: serve },
  migrate: { help: MIGRATE_HELP, run: migrateCommand },
  export: { help: EXPORT_HELP, run: (args, io) => exportCommand(args, io, (options) => databaseOf(options, io)) },
  validate: { help: VALIDATE_HELP, run: validateCommand },
  compile: { help: COMPILE_HELP, run: compileCommand },
  erase: { help: ERASE_HELP, run: eraseCommand },
  'export-person': { help: EXPORT_PERSON_HELP, run: exportPersonCommand },
};

/** Runs the `beckon` command line and resolves with the exit code: 0 done, 1 failed, 2 usage error. */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(MAIN_HELP);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.stderr(`beckon: unknown command "${name}"; the commands are ${Object.keys(COMMANDS).join(', ')}. See beckon --help\n`);
    return 2;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`beckon ${name}: ${error.message}. See beckon ${name} --help\n`);
    return 2;
  }
}
