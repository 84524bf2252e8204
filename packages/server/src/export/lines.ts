// The lines of an export file. NDJSON: each event as stored plus `receivedAt`, one per line, what
// BigQuery, Snowflake, ClickHouse and DuckDB load as is. CSV: a header, then a row per event with the
// Segment fields as columns and objects as JSON.
import type { ExportedEvent } from '../storage/export.js';

/** The formats an export writes. */
export const EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The CSV columns, in order: Segment's field names in snake_case, as warehouses name them. */
const COLUMNS = [
  ['message_id', 'messageId'], ['type', 'type'], ['timestamp', 'timestamp'], ['received_at', 'receivedAt'],
  ['anonymous_id', 'anonymousId'], ['user_id', 'userId'], ['previous_id', 'previousId'], ['group_id', 'groupId'],
  ['event', 'event'], ['name', 'name'], ['properties', 'properties'], ['traits', 'traits'], ['context', 'context'],
] as const;

/** A CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break. */
function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The event as stored with `receivedAt` added (ISO), as one JSON text. */
function withReceivedAt(event: ExportedEvent): string {
  const receivedAt = new Date(event.receivedMs).toISOString();
  // Stored bodies are JSON objects: the field goes before the closing brace without parsing, unless one is there already.
  if (!event.body.includes('"receivedAt"')) return `${event.body.slice(0, -1)},"receivedAt":"${receivedAt}"}`;
  return JSON.stringify({ ...(JSON.parse(event.body) as object), receivedAt });
}

/** What an export file starts with: CSV's header line, nothing for NDJSON. */
export const exportHeader = (format: ExportFormat): string => (format === 'csv' ? `${COLUMNS.map(([name]) => name).join(',')}\n` : '');

/** The lines of one page of events, each ending with a line feed. */
export function exportLines(page: readonly ExportedEvent[], format: ExportFormat): string {
  if (format === 'ndjson') return page.map((event) => `${withReceivedAt(event)}\n`).join('');
  return page
    .map((event) => {
      const fields: Record<string, unknown> = { ...(JSON.parse(event.body) as object), receivedAt: new Date(event.receivedMs).toISOString() };
      return `${COLUMNS.map(([, key]) => cell(fields[key])).join(',')}\n`;
    })
    .join('');
}
