import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ExportedEvent, ExportPages } from '../storage/export.js';
import { writeExport } from './write.js';

/** Ten pages of two events; counts how many were read and whether the reader was closed. */
function pages() {
  const state = { read: 0, closed: false };
  async function* generate(): ExportPages {
    try {
      for (let page = 0; page < 10; page++) {
        state.read += 1;
        yield [0, 1].map((i): ExportedEvent => ({ body: `{"messageId":"p${page}e${i}"}`, receivedMs: 0 }));
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, pages: generate() };
}

/** A stream that takes nothing until `release()`: its buffer is full after the first write. */
function stalledStream() {
  const waiting: Array<() => void> = [];
  const written: string[] = [];
  const out = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, done) {
      written.push(chunk.toString());
      waiting.push(() => done());
    },
  });
  return { out, written, release: () => waiting.splice(0).forEach((done) => done()) };
}

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('writeExport', () => {
  it('reads the next page only once the stream took the last one', async () => {
    const { state, pages: source } = pages();
    const { out, written, release } = stalledStream();
    const writing = writeExport(source, 'ndjson', out);
    await turns(20);
    // One page read and written; the stream is full, so no other page is read.
    expect(state.read).toBe(1);
    expect(written).toHaveLength(1);
    for (let page = 2; page <= 10; page++) {
      release();
      await turns(20);
      expect(state.read).toBe(page);
    }
    release();
    expect(await writing).toBe(20);
    expect(written.join('').split('\n')).toHaveLength(21);
  });

  it('stops reading, and closes the reader, when the stream goes away', async () => {
    const { state, pages: source } = pages();
    const { out } = stalledStream();
    const writing = writeExport(source, 'ndjson', out);
    await turns(20);
    out.destroy();
    await expect(writing).rejects.toThrow('the reader of the export went away');
    expect(state.read).toBeLessThanOrEqual(2);
    expect(state.closed).toBe(true);
  });
});
