// Errors of the storage engines that callers tell apart: none of them carries a driver's type.

/** A database file that cannot be used, with a sentence naming the file and the fix. */
export class DatabaseFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DatabaseFileError';
  }
}

/**
 * A database server that cannot be reached or used, with a sentence naming it by its URL without the
 * password. At start-up it stops `beckon serve`; during traffic POST /v1/batch answers 503 and the
 * client retries.
 */
export class DatabaseUnavailableError extends Error {
  constructor(
    readonly url: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

/** A database URL as it may be shown: without its password. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
  }
}
