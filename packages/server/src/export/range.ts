// The range and format of an export, from GET /v1/export's query or `beckon export`'s options.
import { HttpError } from '../http/errors.js';
import { parseRange } from '../metrics/range.js';
import type { TimeRange } from '../storage/contract.js';
import { EXPORT_FORMATS, type ExportFormat } from './lines.js';

/**
 * Reads `from`, `to` (both required: epoch ms or ISO dates) and `format` (`ndjson`, the default, or `csv`).
 * Throws a 400 HttpError naming the parameter that is missing or wrong.
 */
export function parseExportRequest(params: URLSearchParams, now: number): { range: TimeRange; format: ExportFormat } {
  for (const name of ['from', 'to']) {
    const value = params.get(name);
    if (value === null || value === '') throw new HttpError(400, `${name} is required: an export names its range, e.g. from=2026-01-01&to=2026-02-01`);
  }
  const range = parseRange(params, now);
  const format = params.get('format') ?? 'ndjson';
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new HttpError(400, `format "${format}" is not an export format: use ${EXPORT_FORMATS.join(' or ')}`);
  }
  return { range, format: format as ExportFormat };
}
