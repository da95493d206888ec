import type { LoggerService } from '@nestjs/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChatTestApp } from '../../testing/chat-test-app.js';
import { startChatModuleTest } from '../../testing/start-chat-module-test.js';
import { CloseCode } from '../protocol/close-codes.js';
import type { ServerFrame } from '../protocol/frames.js';

/** Every line the app logs at warn level or above, to prove that a client's fault logs nothing. */
class RecordingLogger implements LoggerService {
  readonly loud: string[] = [];
  log(): void {}
  debug(): void {}
  verbose(): void {}
  warn(message: unknown): void {
    this.loud.push(`warn: ${String(message)}`);
  }
  error(message: unknown): void {
    this.loud.push(`error: ${String(message)}`);
  }
  fatal(message: unknown): void {
    this.loud.push(`fatal: ${String(message)}`);
  }
}

/** The replies among `frames` (what the sender's own frames were answered with), as short labels. */
function replies(frames: readonly ServerFrame[]): string[] {
  return frames.flatMap((frame) => {
    if (frame.type === 'ack') return [`ack ${frame.client_id}`];
    if (frame.type === 'error') return [`error ${frame.code} ${frame.ref}`];
    if (frame.type === 'history') return [`history ${frame.messages.length}`];
    return [];
  });
}

describe('ChatWsAdapter on the chat path', () => {
  const logger = new RecordingLogger();
  let chat: ChatTestApp;
  let nextUser = 1;
  const someone = () => {
    const id = nextUser++;
    return chat.connectAs({ id, nickname: `user${id}` });
  };

  beforeAll(async () => {
    chat = await startChatModuleTest({ chat: { maxFrameBytes: 512, rateLimit: null }, logger });
  });
  afterAll(() => chat.close());
  beforeEach(() => void (logger.loud.length = 0));

  it('checks the upgrade before a socket exists: no identity is answered 401 in HTTP', async () => {
    expect(await chat.expectRefused({})).toBe(401);
  });

  it('handles one socket’s frames one after another, in the order received, each reply on its socket', async () => {
    const socket = await someone();
    socket.send({ type: 'chat_message', content: 'first', client_id: 'c1' });
    socket.sendRaw('not json');
    socket.sendRaw(JSON.stringify({ type: 'no_such_frame' }));
    socket.send({ type: 'chat_message', content: 'second', client_id: 'c2' });
    socket.send({ type: 'history', limit: 2 });
    await socket.expectFrame('history');
    expect(replies(socket.frames)).toEqual([
      'ack c1',
      'error invalid_json null',
      'error unknown_type no_such_frame',
      'ack c2',
      'history 2',
    ]);
    await socket.roundTrip();
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    await socket.close();
  });

  it('answers a frame the gateway refuses with an error frame naming its client_id, and keeps the socket', async () => {
    const socket = await someone();
    socket.send({ type: 'chat_message', content: '   ', client_id: 'blank' });
    await socket.expectFrame('error', { code: 'invalid_message', ref: 'blank' });
    socket.send({ type: 'chat_message', content: 'still here', client_id: 'ok' });
    await socket.expectFrame('ack', { client_id: 'ok' });
    await socket.close();
  });

  it.each([
    ['a frame over maxFrameBytes', () => 'x'.repeat(600), false, CloseCode.MESSAGE_TOO_BIG],
    ['a binary frame', () => Buffer.from('{"type":"join"}'), true, CloseCode.UNSUPPORTED_DATA],
    ['a text frame that is not UTF-8', () => Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), false, CloseCode.INVALID_PAYLOAD],
  ] as const)('closes the socket for %s with its code, logging nothing', async (_what, data, binary, code) => {
    const [socket, other] = await Promise.all([someone(), someone()]);
    socket.sendRaw(data(), binary);
    expect((await socket.expectClose()).code).toBe(code);
    other.send({ type: 'chat_message', content: 'unaffected', client_id: 'u' });
    await other.expectFrame('ack', { client_id: 'u' });
    expect(logger.loud).toEqual([]);
    await other.close();
  });
});
