import { Logger } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { once } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { connectionOn, socketPairsOnFakeClock } from '../../../test/support/connection-under-test.js';
import { JsonLogger } from '../../logging/json.logger.js';
import { ChatError } from '../chat.errors.js';
import { RefusedFrames } from '../limits/refused-frames.js';
import { ABUSE_WINDOW_MS } from '../limits/sustained-abuse.js';
import { ChatExceptionFilter } from './chat-exception.filter.js';

describe('ChatExceptionFilter (fake clock, real sockets)', () => {
  const pairs = socketPairsOnFakeClock();
  // burst 1: 3 refusals within the window are tolerated, the 4th closes the socket
  const refusedFrames = () => new RefusedFrames({ rateLimit: { rate: 1, perMs: 1000, burst: 1 } });

  /** A connection, its client's received frames (parsed), and the filter answering on it. */
  async function filtered() {
    const { server, client } = await pairs.connect();
    const { connection } = connectionOn(server);
    const received: Array<Record<string, unknown>> = [];
    client.on('message', (data) => received.push(JSON.parse(data.toString())));
    const filter = new ChatExceptionFilter(refusedFrames());
    const fail = (exception: unknown, frame: unknown) =>
      filter.catch(exception, new ExecutionContextHost([connection, frame]));
    const nextFrame = () => once(client, 'message').then(() => received[received.length - 1]);
    return { connection, client, received, fail, nextFrame };
  }

  it('answers a ChatError with its code, message and the frame it refers to', async () => {
    const { fail, nextFrame } = await filtered();
    fail(new ChatError('rate_limited', 'slow down', 1500), { type: 'chat_message', client_id: 'c1' });
    expect(await nextFrame()).toEqual({
      type: 'error',
      code: 'rate_limited',
      message: 'slow down',
      ref: 'c1',
      retry_after_ms: 1500,
    });
  });

  it('answers anything else as internal, without its message, and never charges the socket for it', async () => {
    const { connection, fail, nextFrame } = await filtered();
    const lines: string[] = [];
    Logger.overrideLogger(new JsonLogger((line) => lines.push(line)));
    try {
      for (let i = 0; i < 10; i++) fail(new Error('database exploded'), { type: 'history' });
    } finally {
      Logger.overrideLogger(false);
    }
    expect(await nextFrame()).toEqual({ type: 'error', code: 'internal', message: 'internal error', ref: 'history' });
    expect(connection.isClosing).toBe(false);
    expect(lines).toHaveLength(10);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', context: 'ChatExceptionFilter' });
    expect(lines[0]).toContain('database exploded');
  });

  it("closes with 1008 at the refusal over the budget, after that refusal's error frame", async () => {
    const { connection, client, received, fail } = await filtered();
    const closed = once(client, 'close') as Promise<[number, Buffer]>;
    for (let i = 1; i <= 3; i++) fail(new ChatError('invalid_message', `bad ${i}`), { type: 'typing' });
    expect(connection.isClosing).toBe(false);
    fail(new ChatError('invalid_message', 'bad 4'), { type: 'typing' });
    const [code, reason] = await closed;
    expect([code, reason.toString()]).toEqual([1008, 'too many refused frames']);
    expect(received.map((frame) => frame.message)).toEqual(['bad 1', 'bad 2', 'bad 3', 'bad 4']);
  });

  it('forgets refusals older than the window', async () => {
    const { connection, fail } = await filtered();
    for (let i = 0; i < 3; i++) fail(new ChatError('invalid_message', 'bad'), { type: 'typing' });
    vi.advanceTimersByTime(ABUSE_WINDOW_MS);
    for (let i = 0; i < 3; i++) fail(new ChatError('invalid_message', 'bad'), { type: 'typing' });
    expect(connection.isClosing).toBe(false);
    fail(new ChatError('invalid_message', 'bad'), { type: 'typing' });
    expect(connection.isClosing).toBe(true);
  });
});
