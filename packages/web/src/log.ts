// Beckon's own problems go to the console, each kind once: a failure repeated on every page view is still one line.

/** Reports a problem of a kind (e.g. `catalog`, `storage`, `render`) once per page, and every debug line when debugging. */
export interface Log {
  /** Warns about a failure of this kind, unless one of the same kind was reported already. */
  fail(kind: string, message: string, error?: unknown): void;
  /** A line for `debug: true` only. */
  debug(message: string, ...values: unknown[]): void;
}

/** A log that warns through `console.warn` (once per kind) and, with `debug`, tells through `console.info`. */
export function createLog(debug: boolean): Log {
  const reported = new Set<string>();
  return {
    fail(kind, message, error) {
      if (reported.has(kind)) return;
      reported.add(kind);
      console.warn(`[beckon] ${message}${error === undefined ? '' : `: ${describe(error)}`}`);
    },
    debug(message, ...values) {
      if (debug) console.info(`[beckon] ${message}`, ...values);
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
