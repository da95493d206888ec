import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BatchedLineWriter, LOG_HOLD_MS } from './batched-line-writer.js';

function capture() {
  const writes: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => writes.push(chunk.toString()));
  return { stream, writes, settle: () => new Promise((r) => setImmediate(r)) };
}

describe('BatchedLineWriter', () => {
  it('writes the stdout lines of several turns in one write, in order, within LOG_HOLD_MS', async () => {
    const out = capture();
    const err = capture();
    const writer = new BatchedLineWriter(out.stream, err.stream);
    writer.write('one', 'stdout');
    await new Promise((r) => setImmediate(r));
    writer.write('two', 'stdout');
    expect(out.writes).toEqual([]);
    await new Promise((r) => setTimeout(r, LOG_HOLD_MS + 5));
    await out.settle();
    expect(out.writes).toEqual(['one\ntwo\n']);
  });

  it('writes a stderr line at once, after the stdout lines held before it', async () => {
    const out = capture();
    const err = capture();
    const writer = new BatchedLineWriter(out.stream, err.stream);
    writer.write('before', 'stdout');
    writer.write('boom', 'stderr');
    await out.settle();
    expect(out.writes).toEqual(['before\n']);
    expect(err.writes).toEqual(['boom\n']);
  });
});
