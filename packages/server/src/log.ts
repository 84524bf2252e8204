// Structured logs: one JSON object per line (pino), which log shippers and `jq` read as is; the
// `beckon` CLI prints the same entries as readable lines when stderr is a terminal.
import { pino, stdTimeFunctions } from 'pino';
import { prettyFactory } from 'pino-pretty';

/** One line for the operator: what happened, how bad it is, the error behind it and any structured fields. */
export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  error?: unknown;
  /** Structured context, written as top-level keys of the JSON line (`{ "url": "...", "status": 503 }`). */
  fields?: Readonly<Record<string, unknown>>;
}

/** Where the server reports what it does (start-up, catalog reloads, failures). */
export type Logger = (entry: LogEntry) => void;

/** Where log lines go: anything with a `write(line)`, such as `process.stderr`. */
export interface LogDestination {
  write(line: string): unknown;
}

/** Options of `createLogger`. */
export interface LoggerOptions {
  /** Where the lines go (default stderr, written synchronously so nothing is lost at exit). */
  destination?: LogDestination;
  /** Readable lines for a person at a terminal instead of JSON (default false). */
  pretty?: boolean;
  /** The least severe level written (default `info`). */
  level?: LogEntry['level'];
}

/**
 * A Logger writing one JSON object per line: `level` (`"info"`, `"warn"`, `"error"`), `time`
 * (ISO 8601), `pid`, `hostname`, `name` (`"beckon"`), `msg`, the entry's fields, and `err` (type,
 * message, stack) when it carries an error.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const target = options.destination ?? pino.destination({ fd: 2, sync: true });
  const pretty = options.pretty ? prettyFactory({ colorize: false, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,name' }) : undefined;
  const destination = pretty ? { write: (line: string) => target.write(pretty(line)) } : target;
  const logger = pino(
    {
      name: 'beckon',
      level: options.level ?? 'info',
      timestamp: stdTimeFunctions.isoTime,
      // Labels, not pino's numbers: a reader of the raw line (or a log query) sees "warn", not 40.
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  return ({ level, message, error, fields }) => {
    logger[level](error === undefined ? { ...fields } : { ...fields, err: error }, message);
  };
}

let stderrJson: Logger | undefined;
/** The default logger: JSON lines on stderr (opened at its first line, not when this module is imported). */
export const stderrLogger: Logger = (entry) => (stderrJson ??= createLogger())(entry);
