import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessageFrame, ErrorFrame } from '../../src/chat/protocol/frames.js';
import { ConnectionFactory } from '../../src/chat/transport/connection-factory.js';
import { registerAndLogin, TestUser } from '../support/http-client.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { TestSocket } from '../support/ws-client.js';
import { useChatApp } from '../support/chat-app.js';

describe('bad frames get clear answers and the socket stays open', () => {
  let server: TestApp;
  let alice: TestUser;
  let socket: TestSocket;

  beforeAll(async () => {
    server = await startTestApp({ CHAT_MAX_CONTENT_CHARS: '20' });
    alice = await registerAndLogin(server.baseUrl);
    socket = await TestSocket.connect(server.wsUrl, alice.cookie);
  });
  afterAll(async () => {
    await socket.close();
    await server.close();
  });

  const cases: Array<[string, string, Partial<ErrorFrame>]> = [
    ['not JSON', '{"type": "chat_message",', { code: 'invalid_json', ref: null }],
    ['a JSON array', '[1,2]', { code: 'invalid_json', ref: null }],
    ['a JSON string', '"join"', { code: 'invalid_json', ref: null }],
    ['no type', '{"content":"x"}', { code: 'unknown_type', ref: null }],
    ['an unknown type', '{"type":"dance"}', { code: 'unknown_type', ref: 'dance' }],
    ['a missing content', '{"type":"chat_message"}', { code: 'invalid_message', ref: 'chat_message' }],
    [
      'a numeric content',
      '{"type":"chat_message","content":5,"client_id":"k1"}',
      { code: 'invalid_message', ref: 'k1' },
    ],
    ['blank content', '{"type":"chat_message","content":"   "}', { code: 'invalid_message', ref: 'chat_message' }],
    ['content over the limit', `{"type":"chat_message","content":"${'x'.repeat(21)}"}`, { code: 'invalid_message' }],
    ['a string recipient', '{"type":"private_message","to":"2","content":"hi"}', { code: 'invalid_message' }],
    ['a fractional limit', '{"type":"history","limit":2.5}', { code: 'invalid_message', ref: 'history' }],
    ['a limit over 50', '{"type":"history","limit":51}', { code: 'invalid_message', ref: 'history' }],
    ['a negative since', '{"type":"resume","since":-1}', { code: 'invalid_message', ref: 'resume' }],
    [
      'an overlong client_id',
      `{"type":"chat_message","content":"a","client_id":"${'c'.repeat(65)}"}`,
      { code: 'invalid_message' },
    ],
    ['an unknown recipient', '{"type":"private_message","to":999999,"content":"hi"}', { code: 'not_found' }],
  ];

  it.each(cases)('answers %s with an error frame', async (_name, raw, expected) => {
    socket.sendRaw(raw);
    const error = await socket.nextOfType('error');
    expect(error).toMatchObject(expected);
    expect(typeof error.message).toBe('string');
    expect(error.message).not.toMatch(/\n\s+at /);
  });

  it('counts content in code points, not UTF-16 units', async () => {
    socket.send({ type: 'chat_message', content: '😀'.repeat(20), client_id: 'emoji' });
    const ack = await socket.nextOfType('ack');
    expect(ack.client_id).toBe('emoji');
  });

  it('still serves the socket after all of that', async () => {
    socket.send({ type: 'chat_message', content: 'still here' });
    await socket.next((f) => f.type === 'chat_message' && f.content === 'still here');
  });
});

describe('transport limits', () => {
  const server = useChatApp({
    users: 2,
    env: {
      CHAT_RATE_LIMIT: 'off',
      CHAT_MAX_FRAME_BYTES: '20000',
      CHAT_MAX_CONTENT_CHARS: '16000',
      CHAT_SEND_QUEUE_LIMIT: '16',
    },
  });
  let alice: TestUser, bob: TestUser;
  beforeAll(() => void ([alice, bob] = server.users));

  it('closes with 1003 on a binary frame', async () => {
    const socket = await TestSocket.connect(server.wsUrl, alice.cookie);
    socket.sendRaw(Buffer.from('{"type":"join"}'), true);
    expect((await socket.closed).code).toBe(1003);
  });

  it('closes with 1009 on a frame larger than CHAT_MAX_FRAME_BYTES', async () => {
    const socket = await TestSocket.connect(server.wsUrl, alice.cookie);
    socket.sendRaw(JSON.stringify({ type: 'chat_message', content: 'x'.repeat(20_001) }));
    expect((await socket.closed).code).toBe(1009);
  });

  it('handles one client’s frames in the order sent', async () => {
    const socket = await TestSocket.connect(server.wsUrl, alice.cookie);
    const count = 60;
    for (let i = 0; i < count; i++) {
      if (i % 3 === 0) socket.send({ type: 'history', limit: 1 });
      socket.send({ type: 'chat_message', content: `order ${i}`, client_id: `order-${i}` });
    }
    const acks = [];
    for (let i = 0; i < count; i++) acks.push(await socket.nextOfType('ack'));
    expect(acks.map((a) => a.client_id)).toEqual(Array.from({ length: count }, (_, i) => `order-${i}`));
    const ids = acks.map((a) => a.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    await socket.close();
  });

  it('cuts off a client that stops reading with 1013 while the others receive everything', async () => {
    // the slow socket may land on any instance of a cluster: count the cuts of all of them
    const slowConsumers = () =>
      server.apps.reduce((sum, app) => sum + app.get(ConnectionFactory, { strict: false }).counters.slowConsumers, 0);
    const slow = await TestSocket.connect(server.wsUrl, alice.cookie);
    const reader = await TestSocket.connect(server.wsUrl, bob.cookie);
    const sender = await TestSocket.connect(server.wsUrl, bob.cookie);
    const rawSocket = (slow.ws as unknown as { _socket: Socket })._socket;
    rawSocket.pause();
    const before = slowConsumers();
    const content = 'y'.repeat(15_000);
    let sent = 0;
    while (slowConsumers() === before && sent < 3000) {
      for (let i = 0; i < 25; i++) sender.send({ type: 'chat_message', content, client_id: `flood-${sent++}` });
      await sender.next((f) => f.type === 'ack' && f.client_id === `flood-${sent - 1}`);
    }
    expect(slowConsumers()).toBe(before + 1);
    rawSocket.resume();
    expect((await slow.closed).code).toBe(1013);
    // the reading client got every message, in order
    sender.send({ type: 'chat_message', content: 'after-flood' });
    await reader.next((f) => f.type === 'chat_message' && f.content === 'after-flood', 15_000);
    const received = reader.framesOfType('chat_message').filter((f) => f.content === content);
    expect(received).toHaveLength(sent);
    const ids = received.map((f: ChatMessageFrame) => f.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    await Promise.all([reader.close(), sender.close()]);
  });
});
