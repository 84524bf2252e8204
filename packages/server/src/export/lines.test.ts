import { describe, expect, it } from 'vitest';
import { exportHeader, exportLines } from './lines.js';

const RECEIVED = Date.parse('2026-03-01T10:00:00Z');

describe('exportLines', () => {
  it('writes NDJSON: each event as stored, with receivedAt, one per line', () => {
    const body = JSON.stringify({ type: 'track', messageId: 'm1', anonymousId: 'a1', event: 'Signed Up', timestamp: '2026-03-01T09:59:59.000Z' });
    const text = exportLines([{ body, receivedMs: RECEIVED }, { body: '{"type":"page","messageId":"m2","receivedAt":"x"}', receivedMs: RECEIVED }], 'ndjson');
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0]!)).toEqual({ ...JSON.parse(body), receivedAt: '2026-03-01T10:00:00.000Z' });
    // One already there is replaced, never doubled.
    expect(lines[1]).toBe('{"type":"page","messageId":"m2","receivedAt":"2026-03-01T10:00:00.000Z"}');
    expect(exportHeader('ndjson')).toBe('');
  });

  it('writes CSV: a header, then Segment fields as columns, objects as JSON, quoted as RFC 4180 says', () => {
    expect(exportHeader('csv')).toBe('message_id,type,timestamp,received_at,anonymous_id,user_id,previous_id,group_id,event,name,properties,traits,context\n');
    const body = JSON.stringify({
      type: 'track', messageId: 'm1', anonymousId: 'a1', userId: 'u1', event: 'Said "hi", twice', timestamp: 't',
      properties: { note: 'line\nbreak' },
    });
    expect(exportLines([{ body, receivedMs: RECEIVED }], 'csv')).toBe(
      'm1,track,t,2026-03-01T10:00:00.000Z,a1,u1,,,"Said ""hi"", twice",,"{""note"":""line\\nbreak""}",,\n',
    );
  });
});
