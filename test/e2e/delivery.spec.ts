import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageFrame } from '../../src/chat/protocol/frames.js';
import { registerAndLogin, TestUser } from '../support/http-client.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { TestSocket } from '../support/ws-client.js';
import { useChatApp } from '../support/chat-app.js';

const messagesOf = (socket: TestSocket) =>
  socket.frames.filter((f): f is MessageFrame => f.type === 'chat_message' || f.type === 'private_message');

describe('acks, idempotent retries, resume and ordering', () => {
  const server = useChatApp({ users: 3, env: { CHAT_RATE_LIMIT: 'off' } });
  let alice: TestUser, bob: TestUser, carol: TestUser;
  beforeAll(() => void ([alice, bob, carol] = server.users));

  it('a retry with the same client_id after reconnecting gets the original ack and is delivered once', async () => {
    const watcher = await TestSocket.connect(server.wsUrl, bob.cookie);
    const first = await TestSocket.connect(server.wsUrl, alice.cookie);
    first.send({ type: 'chat_message', content: 'only once', client_id: 'retry-1' });
    const ack = await first.nextOfType('ack');
    await first.close();
    const second = await TestSocket.connect(server.wsUrl, alice.cookie);
    second.send({ type: 'chat_message', content: 'only once (retried)', client_id: 'retry-1' });
    expect(await second.nextOfType('ack')).toEqual(ack);
    // the same client_id from another user is a different message
    const other = await TestSocket.connect(server.wsUrl, carol.cookie);
    other.send({ type: 'chat_message', content: 'mine', client_id: 'retry-1' });
    expect((await other.nextOfType('ack')).id).not.toBe(ack.id);
    second.send({ type: 'chat_message', content: 'sentinel-retry' });
    await watcher.next((f) => f.type === 'chat_message' && f.content === 'sentinel-retry');
    expect(messagesOf(watcher).filter((m) => m.id === ack.id)).toHaveLength(1);
    expect(messagesOf(watcher).some((m) => m.content === 'only once (retried)')).toBe(false);
    second.send({ type: 'history', limit: 50 });
    const history = await second.nextOfType('history');
    expect(history.messages.filter((m) => m.id === ack.id)).toHaveLength(1);
    await Promise.all([watcher.close(), second.close(), other.close()]);
  });

  it('a private retry is deduplicated too', async () => {
    const a = await TestSocket.connect(server.wsUrl, alice.cookie);
    a.send({ type: 'private_message', to: bob.id, content: 'pm once', client_id: 'pm-retry' });
    const ack = await a.nextOfType('ack');
    a.send({ type: 'private_message', to: bob.id, content: 'pm once', client_id: 'pm-retry' });
    expect(await a.nextOfType('ack')).toEqual(ack);
    a.send({ type: 'chat_message', content: 'sentinel-pm' });
    await a.next((f) => f.type === 'chat_message' && f.content === 'sentinel-pm');
    expect(messagesOf(a).filter((m) => m.id === ack.id)).toHaveLength(1);
    await a.close();
  });

  it('a client away while 30 messages arrived gets all it may see from resume, in order, then resumed', async () => {
    const away = await TestSocket.connect(server.wsUrl, carol.cookie);
    away.send({ type: 'chat_message', content: 'before leaving' });
    const lastSeen = (await away.nextOfType('ack')).id;
    await away.close();
    const a = await TestSocket.connect(server.wsUrl, alice.cookie);
    const b = await TestSocket.connect(server.wsUrl, bob.cookie);
    const sentIds: number[] = [];
    for (let i = 0; i < 30; i++) {
      const from = i % 2 === 0 ? a : b;
      if (i % 3 === 0) from.send({ type: 'private_message', to: carol.id, content: `to carol ${i}` });
      else if (i % 5 === 0)
        from.send({ type: 'private_message', to: from === a ? bob.id : alice.id, content: `not for carol ${i}` });
      else from.send({ type: 'chat_message', content: `public ${i}` });
      const ack = await from.nextOfType('ack');
      if (!(i % 3 !== 0 && i % 5 === 0)) sentIds.push(ack.id);
    }
    const back = await TestSocket.connect(server.wsUrl, carol.cookie);
    back.send({ type: 'resume', since: lastSeen });
    const resumed = await back.nextOfType('resumed');
    const replayed = messagesOf(back);
    expect(replayed.map((m) => m.id)).toEqual(sentIds);
    expect(replayed.some((m) => m.content.startsWith('not for carol'))).toBe(false);
    expect(resumed).toEqual({ type: 'resumed', last_id: sentIds[sentIds.length - 1], has_more: false });
    // nothing newer: resumed echoes since
    back.send({ type: 'resume', since: resumed.last_id });
    expect(await back.nextOfType('resumed')).toEqual({ type: 'resumed', last_id: resumed.last_id, has_more: false });
    await Promise.all([a.close(), b.close(), back.close()]);
  });

  it('resume stops at 500 with has_more, and continuing from last_id gets the rest', async () => {
    const a = await TestSocket.connect(server.wsUrl, alice.cookie);
    a.send({ type: 'chat_message', content: 'start marker' });
    const start = (await a.nextOfType('ack')).id;
    for (let i = 0; i < 520; i++) a.send({ type: 'chat_message', content: `bulk ${i}`, client_id: `bulk-${i}` });
    await a.next((f) => f.type === 'ack' && f.client_id === 'bulk-519', 20_000);
    await a.close();
    const reader = await TestSocket.connect(server.wsUrl, carol.cookie);
    reader.send({ type: 'resume', since: start });
    const firstBatch = await reader.nextOfType('resumed');
    expect(firstBatch.has_more).toBe(true);
    expect(messagesOf(reader)).toHaveLength(500);
    reader.send({ type: 'resume', since: firstBatch.last_id });
    const secondBatch = await reader.nextOfType('resumed');
    expect(secondBatch.has_more).toBe(false);
    const all = messagesOf(reader);
    expect(all.map((m) => m.content)).toEqual(Array.from({ length: 520 }, (_, i) => `bulk ${i}`));
    expect(secondBatch.last_id).toBe(all[all.length - 1].id);
    await reader.close();
  });

  it('every client sees the public room in the same order, the order of the ids', async () => {
    const senders = await Promise.all([alice, bob, carol].map((u) => TestSocket.connect(server.wsUrl, u.cookie)));
    const readers = await Promise.all([alice, bob].map((u) => TestSocket.connect(server.wsUrl, u.cookie)));
    senders.forEach((socket, s) => {
      for (let i = 0; i < 40; i++)
        socket.send({ type: 'chat_message', content: `race ${s}-${i}`, client_id: `race-${s}-${i}` });
    });
    await Promise.all(
      senders.map((socket, s) => socket.next((f) => f.type === 'ack' && f.client_id === `race-${s}-39`)),
    );
    senders[0].send({ type: 'chat_message', content: 'race end' });
    const orders = await Promise.all(
      [...senders, ...readers].map(async (socket) => {
        await socket.next((f) => f.type === 'chat_message' && f.content === 'race end');
        return messagesOf(socket)
          .filter((m) => m.content.startsWith('race '))
          .map((m) => m.id);
      }),
    );
    expect(orders[0]).toHaveLength(121);
    expect([...orders[0]].sort((x, y) => x - y)).toEqual(orders[0]);
    for (const order of orders) expect(order).toEqual(orders[0]);
    await Promise.all([...senders, ...readers].map((s) => s.close()));
  });
});

describe('conversations', () => {
  const server = useChatApp({ env: { CHAT_RATE_LIMIT: 'off' } });

  it('lists the users one has a private conversation with, online state included, most recent first', async () => {
    const me = await registerAndLogin(server.baseUrl, 'Mia');
    const zed = await registerAndLogin(server.baseUrl, 'zed');
    const amy = await registerAndLogin(server.baseUrl, 'amy');
    const bea = await registerAndLogin(server.baseUrl, 'Bea');
    const carl = await registerAndLogin(server.baseUrl, 'carl');
    const socket = await TestSocket.connect(server.wsUrl, me.cookie);
    const zedSocket = await TestSocket.connect(server.wsUrl, zed.cookie);
    socket.send({ type: 'private_message', to: carl.id, content: 'first' });
    await socket.nextOfType('ack');
    await new Promise((resolve) => setTimeout(resolve, 5)); // distinct millisecond timestamps
    zedSocket.send({ type: 'private_message', to: me.id, content: 'second' });
    const zedAck = await zedSocket.nextOfType('ack');
    socket.send({ type: 'conversations' });
    const { users } = await socket.nextOfType('conversations');
    expect(users.map((u) => u.nickname)).toEqual(['zed', 'carl']);
    expect(users.some((u) => [me.id, amy.id, bea.id].includes(u.id))).toBe(false);
    expect(users[0]).toEqual({
      id: zed.id,
      nickname: 'zed',
      online: true,
      last_message_at: zedAck.timestamp,
      last_message_id: zedAck.id,
      read_id: 0,
      unread: 1,
      mentions: 0,
    });
    expect(users[1]).toMatchObject({ id: carl.id, online: false, unread: 0 });
    await Promise.all([socket.close(), zedSocket.close()]);
  });
});
