// Errors that become JSON responses: the status code and the sentence the client reads.

/** One schema problem: where it is (`batch[3].timestamp`) and what is wrong there. */
export interface Issue {
  path: string;
  message: string;
}

/** An error with an HTTP status, answered as `{ "error": message, "issues"?: [...], ...details }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues?: readonly Issue[],
    readonly headers?: Readonly<Record<string, string>>,
    /** More fields of the answer, e.g. the refused events of a batch. */
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/**
 * The client went away (closed the connection, or was cut off by a timeout) before its request arrived:
 * nobody is left to answer and nothing on the server failed, so it is not logged. 499 as proxies log it.
 */
export class ClientGoneError extends HttpError {
  constructor(cause: unknown) {
    super(499, 'the client closed the connection before its request arrived');
    this.name = 'ClientGoneError';
    this.cause = cause;
  }
}
