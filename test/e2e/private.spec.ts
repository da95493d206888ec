import { beforeAll, describe, expect, it } from 'vitest';
import type { HistoryFrame, MessageFrame, PrivateMessageFrame } from '../../src/chat/protocol/frames.js';
import { TestUser } from '../support/http-client.js';
import { TestSocket } from '../support/ws-client.js';
import { useChatApp } from '../support/chat-app.js';

describe('private messages and typing', () => {
  const server = useChatApp({ users: 3, env: { CHAT_RATE_LIMIT: 'off' } });
  let alice: TestUser, bob: TestUser, carol: TestUser;
  beforeAll(() => void ([alice, bob, carol] = server.users));

  it('reaches every socket of sender and recipient and nobody else; typing likewise reaches only the recipient', async () => {
    const [a1, a2, b1, b2, c] = await Promise.all([
      TestSocket.connect(server.wsUrl, alice.cookie),
      TestSocket.connect(server.wsUrl, alice.cookie),
      TestSocket.connect(server.wsUrl, bob.cookie),
      TestSocket.connect(server.wsUrl, bob.cookie),
      TestSocket.connect(server.wsUrl, carol.cookie),
    ]);
    a1.send({ type: 'typing', to: bob.id, active: true });
    a1.send({ type: 'private_message', to: bob.id, content: 'psst', client_id: 'p1' });
    const ack = await a1.nextOfType('ack');
    const expected: PrivateMessageFrame = {
      type: 'private_message',
      id: ack.id,
      content: 'psst',
      user_id: alice.id,
      nickname: alice.nickname,
      to: bob.id,
      timestamp: ack.timestamp,
    };
    for (const socket of [a1, a2, b1, b2]) {
      expect(await socket.next((f) => f.type === 'private_message' && f.id === ack.id)).toEqual(expected);
    }
    for (const socket of [b1, b2]) {
      expect(await socket.nextOfType('typing')).toEqual({
        type: 'typing',
        user_id: alice.id,
        nickname: alice.nickname,
        active: true,
      });
    }
    // sentinel: a public message sent after both; carol sees it and nothing private before it
    a1.send({ type: 'chat_message', content: 'sentinel-private' });
    await c.next((f) => f.type === 'chat_message' && f.content === 'sentinel-private');
    expect(c.frames.filter((f) => f.type === 'private_message' || f.type === 'typing')).toEqual([]);
    expect(a2.framesOfType('typing')).toEqual([]);
    await Promise.all([a1, a2, b1, b2, c].map((s) => s.close()));
  });

  it('answers not_found for an unknown recipient and stores nothing', async () => {
    const a = await TestSocket.connect(server.wsUrl, alice.cookie);
    a.send({ type: 'private_message', to: 987654, content: 'void', client_id: 'nf' });
    expect(await a.nextOfType('error')).toMatchObject({ code: 'not_found', ref: 'nf' });
    a.send({ type: 'typing', to: 987654, active: true });
    expect(await a.nextOfType('error')).toMatchObject({ code: 'not_found', ref: 'typing' });
    a.send({ type: 'resume', since: 0 });
    await a.nextOfType('resumed');
    expect(a.frames.some((f) => f.type === 'private_message' && f.content === 'void')).toBe(false);
    await a.close();
  });
});

describe('history', () => {
  const server = useChatApp({ users: 3, env: { CHAT_RATE_LIMIT: 'off' } });
  let alice: TestUser, bob: TestUser, carol: TestUser;
  beforeAll(() => void ([alice, bob, carol] = server.users));

  async function sendAll(socket: TestSocket, frames: Array<Record<string, unknown>>): Promise<number[]> {
    for (const frame of frames) socket.send(frame);
    const ids: number[] = [];
    for (let i = 0; i < frames.length; i++) ids.push((await socket.nextOfType('ack')).id);
    return ids;
  }

  async function page(socket: TestSocket, query: Record<string, unknown>): Promise<HistoryFrame> {
    socket.send({ type: 'history', ...query });
    return socket.nextOfType('history');
  }

  it('pages through 25 public messages 10 at a time, each exactly once, in order', async () => {
    const a = await TestSocket.connect(server.wsUrl, alice.cookie);
    const ids = await sendAll(
      a,
      Array.from({ length: 25 }, (_, i) => ({ type: 'chat_message', content: `m${i}` })),
    );
    const seen: MessageFrame[] = [];
    let before: number | undefined;
    const pages: Array<{ size: number; has_more: boolean }> = [];
    for (;;) {
      const result = await page(a, before === undefined ? {} : { before });
      pages.push({ size: result.messages.length, has_more: result.has_more });
      expect(result.with).toBeNull();
      const pageIds = result.messages.map((m) => m.id);
      expect([...pageIds].sort((x, y) => x - y)).toEqual(pageIds);
      seen.unshift(...result.messages);
      if (!result.has_more) break;
      before = result.messages[0].id;
    }
    expect(pages).toEqual([
      { size: 10, has_more: true },
      { size: 10, has_more: true },
      { size: 5, has_more: false },
    ]);
    expect(seen.map((m) => m.id)).toEqual(ids);
    expect(seen.map((m) => m.content)).toEqual(Array.from({ length: 25 }, (_, i) => `m${i}`));
    await a.close();
  });

  it('returns a private conversation only to its two participants', async () => {
    const a = await TestSocket.connect(server.wsUrl, alice.cookie);
    const b = await TestSocket.connect(server.wsUrl, bob.cookie);
    const c = await TestSocket.connect(server.wsUrl, carol.cookie);
    await sendAll(a, [{ type: 'private_message', to: bob.id, content: 'secret 1' }]);
    await sendAll(b, [{ type: 'private_message', to: alice.id, content: 'secret 2' }]);
    await sendAll(c, [{ type: 'private_message', to: alice.id, content: 'hello from carol' }]);
    const atAlice = await page(a, { with: bob.id, limit: 50 });
    const atBob = await page(b, { with: alice.id, limit: 50 });
    expect(atAlice.with).toBe(bob.id);
    expect(atAlice.messages.map((m) => m.content)).toEqual(['secret 1', 'secret 2']);
    expect(atBob.messages).toEqual(atAlice.messages);
    // carol asking for her conversation with alice sees only it; with bob, nothing
    expect((await page(c, { with: alice.id })).messages.map((m) => m.content)).toEqual(['hello from carol']);
    expect((await page(c, { with: bob.id })).messages).toEqual([]);
    // the public room never contains private messages
    const publicPage = await page(c, { limit: 50 });
    expect(publicPage.messages.some((m) => m.type === 'private_message')).toBe(false);
    await Promise.all([a.close(), b.close(), c.close()]);
  });
});
