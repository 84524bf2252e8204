// Errors that become JSON responses: the status code and the sentence the client reads.

/** One schema problem: where it is (`batch[3].timestamp`) and what is wrong there. */
export interface Issue {
  path: string;
  message: string;
}

/** An error with an HTTP status, answered as `{ "error": message, "issues"?: [...] }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues?: readonly Issue[],
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
