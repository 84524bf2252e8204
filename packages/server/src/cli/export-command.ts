// `beckon export`: every stored event of a range to stdout or a file, as NDJSON or CSV, streamed in
// constant memory whatever the range holds.
import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { parseExportRequest } from '../export/range.js';
import { writeExport } from '../export/write.js';
import { HttpError } from '../http/errors.js';
import { createStorage } from '../storage/open.js';
import { parseArgs, UsageError, type OptionSpec } from './args.js';
import { EXPORT_HELP } from './help.js';
import type { CliIO } from './main.js';

const OPTIONS: Record<string, OptionSpec> = {
  db: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean' },
  h: { type: 'boolean' },
};

/** Where the file goes: --out, else the process's stdout stream, else io.stdout (tests). */
function destination(out: string | undefined, io: CliIO): Writable {
  if (out !== undefined) return createWriteStream(out);
  return io.stdoutStream ?? new Writable({ write: (chunk: Buffer, _encoding, done) => (io.stdout(chunk.toString()), done()) });
}

export async function exportCommand(args: readonly string[], io: CliIO, databaseOf: (options: Record<string, unknown>) => string): Promise<number> {
  const { options, positionals } = parseArgs(args, OPTIONS);
  if (options['help'] || options['h']) {
    io.stdout(EXPORT_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}": pass the file as --out ${positionals[0]}`);
  const params = new URLSearchParams();
  for (const name of ['from', 'to', 'format']) if (typeof options[name] === 'string') params.set(name, options[name] as string);
  let request;
  try {
    request = parseExportRequest(params, Date.now());
  } catch (error) {
    if (error instanceof HttpError) throw new UsageError(`--${error.message}`);
    throw error;
  }
  const storage = createStorage(databaseOf(options));
  try {
    await storage.ready;
    const out = destination(options['out'] as string | undefined, io);
    const count = await writeExport(storage.exportEvents(request.range), request.format, out);
    if (out !== io.stdoutStream) {
      out.end();
      await finished(out);
    }
    io.stderr(`beckon export: ${count} event${count === 1 ? '' : 's'} from ${new Date(request.range.from).toISOString()} to ${new Date(request.range.to).toISOString()}\n`);
    return 0;
  } catch (error) {
    io.stderr(`beckon export: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await storage.close();
  }
}
