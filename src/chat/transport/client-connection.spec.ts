import { once } from 'node:events';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { connectionOn, socketPairsOnFakeClock } from '../../../test/support/connection-under-test.js';
import { CLOSE_GRACE_MS } from './client-connection.js';
import { rawSocketOf } from './raw-socket.js';
import { encodeTextFrameOf } from './text-frame.js';

describe('ClientConnection (fake clock, real sockets)', () => {
  const pairs = socketPairsOnFakeClock();

  it('a reader that stops reading is cut with 1013 once more than sendQueueLimit frames wait', async () => {
    const { server, client } = await pairs.connect();
    const { connection, reports } = connectionOn(server, { sendQueueLimit: 2 });
    rawSocketOf(client).pause(); // the peer stops reading: the OS buffers fill, writes stay in flight
    const frame = encodeTextFrameOf('x'.repeat(1 << 20));
    let queued = 0;
    while (connection.sendFrame(frame)) {
      queued++;
      expect(queued, 'the OS buffers are full within this many frames').toBeLessThan(200);
      await nextTurn(); // one flush (one socket write) per event-loop turn
    }
    expect(reports.slowConsumers).toBe(1);
    expect(connection.isClosing).toBe(true);
    expect(connection.sendFrame(frame), 'nothing is queued on a closing connection').toBe(false);
    expect(reports.slowConsumers).toBe(1);

    const closed = once(client, 'close') as Promise<[number, Buffer]>;
    rawSocketOf(client).resume();
    const [code, reason] = await closed;
    expect([code, reason.toString()]).toEqual([1013, 'slow consumer']);
  });

  it('a peer that does not answer the close is dropped after the grace period, not before', async () => {
    const { server, client } = await pairs.connect();
    const { connection } = connectionOn(server);
    rawSocketOf(client).pause(); // never reads the close frame, so never answers it
    const dropped = once(server, 'close') as Promise<[number]>;

    connection.close(1000, 'bye');
    vi.advanceTimersByTime(CLOSE_GRACE_MS - 1);
    expect(server.readyState).toBe(WebSocket.CLOSING);
    vi.advanceTimersByTime(1);
    const [code] = await dropped;
    expect(code).toBe(1006);
    expect(connection.isClosed).toBe(true);
  });

  it('a peer that answers the close ends it cleanly and leaves no timer behind', async () => {
    const { server, client } = await pairs.connect();
    const { connection } = connectionOn(server);
    const closed = once(server, 'close') as Promise<[number]>;

    connection.close(1000, 'bye');
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    const [code] = await closed;
    expect(code).toBe(1000);
    expect(client.readyState).not.toBe(WebSocket.OPEN);
    expect(vi.getTimerCount()).toBe(0);
  });
});
