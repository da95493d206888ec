import { once } from 'node:events';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { connectionOn } from '../../../test/support/connection-under-test.js';
import { listenForSocketPairs, type SocketPairs } from '../../../test/support/socket-pair.js';
import { writeNowIfIdle } from './direct-socket-write.js';
import { rawSocketOf } from './raw-socket.js';
import { encodeTextFrameOf } from './text-frame.js';

/** Collects the text messages `client` receives. */
function received(client: WebSocket): string[] {
  const texts: string[] = [];
  client.on('message', (data) => texts.push(data.toString()));
  return texts;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await nextTurn();
}

describe('writeNowIfIdle (real sockets)', () => {
  let pairs: SocketPairs;
  beforeEach(async () => {
    pairs = await listenForSocketPairs();
  });
  afterEach(() => pairs.close());

  it('hands a frame to the OS at once on an idle socket, in order with the frames ws sends itself', async () => {
    const { server, client } = await pairs.connect();
    const texts = received(client);
    const socket = rawSocketOf(server);
    const first = encodeTextFrameOf('first');
    expect(writeNowIfIdle(socket, first)).toBe(first.length);
    server.send('from ws');
    const last = encodeTextFrameOf('last');
    expect(writeNowIfIdle(socket, last)).toBe(last.length);
    const closed = once(client, 'close') as Promise<[number]>;
    server.close(4000, 'done');
    const [code] = await closed;
    expect(code).toBe(4000);
    expect(texts).toEqual(['first', 'from ws', 'last']);
  });

  it('writes nothing while earlier bytes still wait in the stream, so nothing overtakes them', async () => {
    const { server, client } = await pairs.connect();
    const texts = received(client);
    const socket = rawSocketOf(server);
    rawSocketOf(client).pause(); // the peer stops reading: the OS buffers fill
    const big = 'x'.repeat(1 << 20);
    let written = 0;
    while (socket.writableLength === 0) {
      socket.write(encodeTextFrameOf(big));
      written++;
      expect(written, 'the OS buffers are full within this many frames').toBeLessThan(200);
    }
    expect(writeNowIfIdle(socket, encodeTextFrameOf('small'))).toBe(0);
    socket.write(encodeTextFrameOf('small')); // the caller's fallback: after what waits
    rawSocketOf(client).resume();
    await until(() => texts.length === written + 1);
    expect(texts.slice(0, written).every((text) => text === big)).toBe(true);
    expect(texts[written]).toBe('small');
  });

  it('writes nothing on a socket that is gone', async () => {
    const { server } = await pairs.connect();
    const socket = rawSocketOf(server);
    socket.destroy();
    expect(writeNowIfIdle(socket, encodeTextFrameOf('late'))).toBe(0);
  });
});

describe('ClientConnection writes through writeNowIfIdle (real sockets)', () => {
  let pairs: SocketPairs;
  beforeEach(async () => {
    pairs = await listenForSocketPairs();
  });
  afterEach(() => pairs.close());

  it('a frame larger than the OS takes at once arrives whole, and the frames after it in order', async () => {
    const { server, client } = await pairs.connect();
    const texts = received(client);
    const { connection } = connectionOn(server, { sendQueueBytes: 64 << 20 });
    rawSocketOf(client).pause();
    const big = 'é'.repeat(4 << 20); // 8 MiB: more than the socket buffers hold
    connection.sendFrame(encodeTextFrameOf(big));
    await nextTurn(); // flushed: part taken by the OS at once, the rest waits in the stream
    expect(rawSocketOf(server).writableLength, 'the rest waits in the stream').toBeGreaterThan(0);
    connection.sendFrame(encodeTextFrameOf('after'));
    await nextTurn();
    const belowOne = connection.whenSendQueueBelow(1);
    rawSocketOf(client).resume();
    await belowOne;
    await until(() => texts.length === 2);
    expect(texts[0] === big).toBe(true);
    expect(texts[1]).toBe('after');
  });

  it('a frame the OS took at once no longer counts as waiting', async () => {
    const { server, client } = await pairs.connect();
    const texts = received(client);
    const { connection } = connectionOn(server, { sendQueueLimit: 1 });
    connection.sendFrame(encodeTextFrameOf('now'));
    connection.flush();
    let below = false;
    void connection.whenSendQueueBelow(1).then(() => (below = true));
    await Promise.resolve();
    expect(below, 'nothing waits once the write returned').toBe(true);
    for (let i = 0; i < 50; i++) {
      expect(connection.sendFrame(encodeTextFrameOf(`m${i}`)), `frame ${i} queued, not refused`).toBe(true);
      await nextTurn();
    }
    await until(() => texts.length === 51);
    expect(texts).toEqual(['now', ...Array.from({ length: 50 }, (_, i) => `m${i}`)]);
  });
});
