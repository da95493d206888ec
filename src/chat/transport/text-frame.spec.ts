import { describe, expect, it } from 'vitest';
import * as wsModule from 'ws';

/** ws's frame parser (exported at run time, absent from its type definitions). */
const Receiver = (wsModule as unknown as { Receiver: new (options: { isServer: boolean }) => ReceiverLike }).Receiver;
interface ReceiverLike {
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  write(chunk: Buffer, callback: () => void): void;
}
import { encodeTextFrame } from './text-frame.js';

/** Decodes frames with ws's own receiver (a client does the same). */
function decode(bytes: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const messages: string[] = [];
    const receiver = new Receiver({ isServer: false });
    receiver.on('message', (data: Buffer, isBinary: boolean) => messages.push(isBinary ? 'BINARY' : data.toString()));
    receiver.on('error', reject);
    receiver.write(bytes, () => resolve(messages));
  });
}

describe('encodeTextFrame', () => {
  it.each([0, 1, 125, 126, 127, 65_535, 65_536, 200_000])(
    'encodes a %i-byte payload that ws decodes back',
    async (size) => {
      const text = 'é'.repeat(Math.floor(size / 2)) + (size % 2 ? 'x' : '');
      const frame = encodeTextFrame(Buffer.from(text));
      expect(await decode(frame)).toEqual([text]);
    },
  );

  it('concatenated frames decode as separate messages in order', async () => {
    const frames = ['a', 'bb', '{"type":"ack"}'].map((t) => encodeTextFrame(Buffer.from(t)));
    expect(await decode(Buffer.concat(frames))).toEqual(['a', 'bb', '{"type":"ack"}']);
  });
});
