import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * Resolves with the URL `beckon serve` prints once it listens; rejects, with what it wrote to stderr, when it
 * exits first. `onLine` sees every line of its stdout, for tests that read what the server says.
 */
export function listeningUrl(child: ChildProcess, onLine?: (line: string) => void): Promise<string> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      onLine?.(line);
      const match = /listening on (\S+)/.exec(line);
      if (match) resolve(match[1]!);
    });
    child.once('close', (code) => reject(new Error(`beckon serve exited (${code}) before it listened: ${stderr}`)));
  });
}
