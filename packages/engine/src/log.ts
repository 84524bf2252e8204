// Beckon's own problems go to the console, each kind once: a failure repeated on every page view is still one line.

/**
 * Reports a problem of a kind (e.g. `catalog`, `storage`, or the error itself) once per page: warns about it,
 * unless one of the same kind was reported already.
 */
export type Log = (kind: string, message: string, error?: unknown) => void;

/** A log that warns through `console.warn`, once per kind. */
export function createLog(): Log {
  const reported = new Set<string>();
  return (kind, message, error) => {
    if (reported.has(kind)) return;
    reported.add(kind);
    console.warn(`[beckon] ${message}${error === undefined ? '' : `: ${error instanceof Error ? error.message : error}`}`);
  };
}
