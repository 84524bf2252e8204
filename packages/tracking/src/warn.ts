// Warnings for the page's developer: a tracker must not flood the console when a problem repeats in a loop.

/** Returns a function that passes each distinct `key`'s message to `warn` once, prefixed with `[beckon]`. */
export function onceEach(warn: (message: string) => void): (key: unknown, message?: string) => void {
  const warned = new Set<unknown>();
  return (key, message = String(key)) => {
    if (!warned.has(key)) warn(`[beckon] ${message}`);
    warned.add(key);
  };
}
