// Writes an export to a stream a page at a time, waiting for the stream to drain before reading the
// next page: a slow reader slows the export down instead of filling memory.
import type { Writable } from 'node:stream';
import type { ExportPages } from '../storage/export.js';
import { exportHeader, exportLines, type ExportFormat } from './lines.js';

/** Resolves once `out` can take more, or rejects once it is closed (a reader gone). */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      out.off('drain', onDrain);
      out.off('close', onClose);
      out.off('error', done);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new Error('the reader of the export went away'));
    out.on('drain', onDrain);
    out.on('close', onClose);
    out.on('error', done);
  });
}

/** Writes every page to `out` in `format` and resolves with the number of events; the caller ends `out`. */
export async function writeExport(pages: ExportPages, format: ExportFormat, out: Writable): Promise<number> {
  let count = 0;
  const header = exportHeader(format);
  if (header !== '' && !out.write(header)) await drained(out);
  for await (const page of pages) {
    if (out.destroyed) throw new Error('the reader of the export went away');
    count += page.length;
    if (!out.write(exportLines(page, format))) await drained(out);
  }
  return count;
}
