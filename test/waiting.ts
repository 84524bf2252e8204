/**
 * Resolves with `read()` once `ok` holds, reading it again every 25 ms; fails naming `what` and the last value read
 * after `timeout` ms. What a test waits for is a positive signal, never a fixed time.
 */
export async function until<T>(read: () => T | Promise<T>, ok: (value: T) => boolean, what: string, timeout = 10_000): Promise<T> {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
