import { beforeAll, describe, expect, it } from 'vitest';
import { CHAT_DEFAULTS } from '../../src/chat/chat-defaults.js';
import type { ErrorFrame, MessageFrame } from '../../src/chat/protocol/frames.js';
import { registerAndLogin, TestUser } from '../support/http-client.js';
import { startTestApp } from '../support/test-app.js';
import { TestSocket } from '../support/ws-client.js';
import { useChatApp } from '../support/chat-app.js';

describe('hostile input over a real socket', () => {
  const server = useChatApp({ users: 2, env: { CHAT_RATE_LIMIT: 'off' } });
  let alice: TestUser, bob: TestUser;
  beforeAll(() => void ([alice, bob] = server.users));

  /** Sends each raw frame, then a valid message as sentinel; resolves the error frames received before the sentinel's ack. */
  async function errorsFor(socket: TestSocket, frames: string[], tag: string): Promise<ErrorFrame[]> {
    const from = socket.frames.length;
    for (const frame of frames) socket.sendRaw(frame);
    socket.send({ type: 'chat_message', content: `sentinel ${tag}`, client_id: `sentinel-${tag}` });
    await socket.next((f) => f.type === 'ack' && f.client_id === `sentinel-${tag}`);
    return socket.frames.slice(from).filter((f): f is ErrorFrame => f.type === 'error');
  }

  it('invalid UTF-8 in a text frame closes with 1007', async () => {
    const socket = await TestSocket.connect(server.wsUrl, alice.cookie);
    socket.sendRaw(Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]));
    expect((await socket.closed).code).toBe(1007);
  });

  it('an unpaired surrogate encoded as UTF-8 bytes (CESU) closes with 1007', async () => {
    const socket = await TestSocket.connect(server.wsUrl, alice.cookie);
    socket.sendRaw(
      Buffer.concat([
        Buffer.from('{"type":"chat_message","content":"'),
        Buffer.from([0xed, 0xa0, 0x80]),
        Buffer.from('"}'),
      ]),
    );
    expect((await socket.closed).code).toBe(1007);
  });

  it('a binary frame closes with 1003, an oversized frame with 1009', async () => {
    const binary = await TestSocket.connect(server.wsUrl, alice.cookie);
    binary.sendRaw(Buffer.from('{"type":"join"}'), true);
    expect((await binary.closed).code).toBe(1003);
    const huge = await TestSocket.connect(server.wsUrl, alice.cookie);
    huge.sendRaw(
      JSON.stringify({
        type: 'chat_message',
        content: 'x'.repeat(server.config.chat.maxFrameBytes ?? CHAT_DEFAULTS.maxFrameBytes),
      }),
    );
    expect((await huge.closed).code).toBe(1009);
  });

  it('answers malformed, deep, reserved-key and out-of-range frames with error frames; the socket lives on', async () => {
    const socket = await TestSocket.connect(server.wsUrl, alice.cookie);
    const cases: Array<[string, string]> = [
      ['not json', 'invalid_json'],
      ['[1,2,3]', 'invalid_json'],
      ['"just a string"', 'invalid_json'],
      ['{"type":"chat_message","content":"x","deep":' + '['.repeat(3000) + ']'.repeat(3000) + '}', 'invalid_message'],
      // the frame is depth 1: an object at depth 9 is one too deep
      ['{"type":"chat_message","content":"x","a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{}}}}}}}}}', 'invalid_message'],
      ['{"type":"chat_message","content":"x","__proto__":{"polluted":true}}', 'invalid_message'],
      [
        '{"type":"chat_message","content":"x","meta":{"constructor":{"prototype":{"polluted":true}}}}',
        'invalid_message',
      ],
      ['{"type":"constructor"}', 'unknown_type'],
      ['{"type":"__proto__"}', 'unknown_type'],
      ['{"type":"toString"}', 'unknown_type'],
      ['{"type":"private_message","to":1e400,"content":"x"}', 'invalid_message'],
      ['{"type":"private_message","to":9007199254740993,"content":"x"}', 'invalid_message'],
      ['{"type":"private_message","to":-1,"content":"x"}', 'invalid_message'],
      ['{"type":"private_message","to":1.5,"content":"x"}', 'invalid_message'],
      ['{"type":"history","limit":51}', 'invalid_message'],
      ['{"type":"history","before":0}', 'invalid_message'],
      ['{"type":"resume","since":-1}', 'invalid_message'],
      ['{"type":"resume","since":"0"}', 'invalid_message'],
      ['{"type":"typing","to":2,"active":"true"}', 'invalid_message'],
      ['{"type":"chat_message","content":["x"]}', 'invalid_message'],
      ['{"type":"chat_message","content":"x","client_id":""}', 'invalid_message'],
      ['{"type":"chat_message","content":"x","client_id":"' + 'c'.repeat(65) + '"}', 'invalid_message'],
    ];
    const errors = await errorsFor(
      socket,
      cases.map(([frame]) => frame),
      'shapes',
    );
    expect(errors.map((e) => e.code)).toEqual(cases.map(([, code]) => code));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    await socket.close();
  });

  it('refuses control characters and lone surrogates in content and client_id; stores nothing odd', async () => {
    const carol = await registerAndLogin(server.baseUrl);
    const socket = await TestSocket.connect(server.wsUrl, carol.cookie);
    const watcher = await TestSocket.connect(server.wsUrl, bob.cookie);
    const bad = [
      'nul\u0000',
      'bell\u0007',
      'cr\rlf',
      'esc\u001b[31m',
      'del\u007f',
      'c1\u0085',
      'lone \ud800',
      'lone \udfff tail',
    ];
    const frames = [
      ...bad.map((content) => JSON.stringify({ type: 'chat_message', content })),
      // JSON escapes produce the lone surrogate after parsing, whatever the bytes on the wire
      '{"type":"chat_message","content":"escaped \\ud83d alone"}',
      JSON.stringify({ type: 'chat_message', content: 'fine', client_id: 'id\u0000' }),
      '{"type":"chat_message","content":"fine","client_id":"\\udc00"}',
    ];
    const errors = await errorsFor(socket, frames, 'text');
    expect(errors.map((e) => e.code)).toEqual(frames.map(() => 'invalid_message'));
    for (const error of errors) expect(/\p{Cs}/u.test(JSON.stringify(error))).toBe(false);
    // what is allowed is stored and delivered exactly as sent (after trimming)
    const good = '  line one\n\tline two 😀 שלום e\u0301 \u200d  ';
    socket.send({ type: 'chat_message', content: good, client_id: 'good' });
    const ack = await socket.next((f) => f.type === 'ack' && f.client_id === 'good');
    const delivered = await watcher.next<MessageFrame>(
      (f) => f.type === 'chat_message' && 'id' in f && f.id === (ack as { id: number }).id,
    );
    expect(delivered.content).toBe(good.trim());
    watcher.send({ type: 'history', limit: 50 });
    const history = await watcher.nextOfType('history');
    const fromCarol = history.messages.filter((m) => m.user_id === carol.id).map((m) => m.content);
    expect(fromCarol).toEqual(['sentinel text', good.trim()]);
    await Promise.all([socket.close(), watcher.close()]);
  });

  it('content length is counted in code points: 2000 emoji pass, 2001 do not', async () => {
    const socket = await TestSocket.connect(server.wsUrl, alice.cookie);
    const maxFrame = await startTestApp({ CHAT_MAX_FRAME_BYTES: '16384', CHAT_RATE_LIMIT: 'off' });
    try {
      const user = await registerAndLogin(maxFrame.baseUrl);
      const s = await TestSocket.connect(maxFrame.wsUrl, user.cookie);
      s.send({ type: 'chat_message', content: '😀'.repeat(2000), client_id: 'max' });
      s.send({ type: 'chat_message', content: '😀'.repeat(2001), client_id: 'over' });
      expect(await s.next((f) => (f.type === 'ack' && f.client_id === 'max') || f.type === 'error')).toMatchObject({
        type: 'ack',
      });
      expect(await s.nextOfType('error')).toMatchObject({ code: 'invalid_message', ref: 'over' });
      await s.close();
    } finally {
      await maxFrame.close();
      await socket.close();
    }
  });
});
