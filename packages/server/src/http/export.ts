// GET /v1/export?from=&to=[&format=ndjson|csv]: every stored event of the range as a file, streamed a
// page at a time with backpressure (a slow client slows the export, memory stays that of one page).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseExportRequest } from '../export/range.js';
import { writeExport } from '../export/write.js';
import type { Logger } from '../log.js';
import type { Storage } from '../storage/contract.js';
import { requireReadKey } from './keys.js';

const CONTENT_TYPES = { ndjson: 'application/x-ndjson; charset=utf-8', csv: 'text/csv; charset=utf-8' } as const;

/** The file name an export is saved under: beckon-events-<from>-<to>.<format>, times in ISO without colons. */
const fileName = (from: number, to: number, format: string) =>
  `beckon-events-${new Date(from).toISOString().replace(/:/g, '')}-${new Date(to).toISOString().replace(/:/g, '')}.${format}`;

export interface ExportRouteOptions {
  storage: Pick<Storage, 'exportEvents'>;
  readKey: string | undefined;
  now: () => number;
  log: Logger;
}

/** Answers GET /v1/export: 400 naming a wrong parameter before anything is sent; then the file. */
export async function sendExport(req: IncomingMessage, res: ServerResponse, url: URL, cors: Record<string, string>, options: ExportRouteOptions): Promise<void> {
  requireReadKey(req, options.readKey);
  const { range, format } = parseExportRequest(url.searchParams, options.now());
  res.writeHead(200, {
    ...cors,
    'content-type': CONTENT_TYPES[format],
    'content-disposition': `attachment; filename="${fileName(range.from, range.to, format)}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  try {
    await writeExport(options.storage.exportEvents(range), format, res);
    res.end();
  } catch (error) {
    // The answer has begun: all that is left is to cut it, so the client sees an incomplete file, not a short one.
    if (!res.destroyed) options.log({ level: 'warn', message: `GET /v1/export stopped: ${(error as Error).message}` });
    res.destroy(error as Error);
  }
}
