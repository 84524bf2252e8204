/** One line for the operator: what happened, how bad it is, and the error behind it if any. */
export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  error?: unknown;
}

/** Where the server reports what it does (start-up, catalog reloads, failures). */
export type Logger = (entry: LogEntry) => void;

/** The default logger: one line per entry on stderr, with the stack of unexpected errors. */
export const stderrLogger: Logger = ({ level, message, error }) => {
  const detail = error instanceof Error && level === 'error' ? `\n${error.stack ?? error.message}` : '';
  process.stderr.write(`beckon ${level}: ${message}${detail}\n`);
};
