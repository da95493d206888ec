import { beforeAll, describe, expect, it } from 'vitest';
import type { AckFrame, ChatMessageFrame, PresenceChangeFrame } from '../../src/chat/protocol/frames.js';
import { TestUser } from '../support/http-client.js';
import { TestSocket } from '../support/ws-client.js';
import { useChatApp } from '../support/chat-app.js';

const RFC3339_MS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('public room over a real socket', () => {
  const server = useChatApp({ users: 2 });
  let alice: TestUser, bob: TestUser;
  beforeAll(() => void ([alice, bob] = server.users));

  it('delivers a chat_message to every socket, the sender included, with the stored id and server identity', async () => {
    const a = await TestSocket.connect(server.wsUrl, alice.cookie);
    const b = await TestSocket.connect(server.wsUrl, bob.cookie);
    a.send({ type: 'chat_message', content: '  hello room  ', client_id: 'c-1', user_id: 999, nickname: 'mallory' });
    const ack = await a.nextOfType('ack');
    const atA = await a.next<ChatMessageFrame>((f) => f.type === 'chat_message' && f.id === ack.id);
    const atB = await b.next<ChatMessageFrame>((f) => f.type === 'chat_message' && f.id === ack.id);
    expect(ack).toMatchObject<Partial<AckFrame>>({ type: 'ack', client_id: 'c-1' });
    expect(ack.id).toBeGreaterThan(0);
    expect(atB).toEqual(atA);
    expect(atB).toMatchObject({ content: 'hello room', user_id: alice.id, nickname: alice.nickname });
    expect(atB.timestamp).toMatch(RFC3339_MS_UTC);
    expect(ack.timestamp).toBe(atB.timestamp);
    // bob's departure is seen before the next test starts watching bob's presence
    await b.close();
    await a.next((f) => f.type === 'user_left' && f.user_id === bob.id);
    await a.close();
  });

  it('announces user_joined once per user, not per tab', async () => {
    const watcher = await TestSocket.connect(server.wsUrl, alice.cookie);
    const tab1 = await TestSocket.connect(server.wsUrl, bob.cookie);
    const joined = await watcher.next<PresenceChangeFrame>((f) => f.type === 'user_joined' && f.user_id === bob.id);
    expect(joined).toMatchObject({ nickname: bob.nickname });
    expect(joined.timestamp).toMatch(RFC3339_MS_UTC);
    const tab2 = await TestSocket.connect(server.wsUrl, bob.cookie);
    await tab1.close();
    // sentinel: a message sent after the second tab opened and the first closed
    tab2.send({ type: 'chat_message', content: 'sentinel' });
    await watcher.next((f) => f.type === 'chat_message' && f.content === 'sentinel');
    const presence = watcher.frames.filter(
      (f) => (f.type === 'user_joined' || f.type === 'user_left') && f.user_id === bob.id,
    );
    expect(presence.map((f) => f.type)).toEqual(['user_joined']);
    await tab2.close();
    await watcher.next((f) => f.type === 'user_left' && f.user_id === bob.id);
    await watcher.close();
  });
});
