import { beforeAll, describe, expect, it } from 'vitest';
import type { AckFrame, ChatMessageFrame, HistoryFrame } from '../../src/chat/protocol/frames.js';
import { TestUser } from '../support/http-client.js';
import { useChatApp } from '../support/chat-app.js';

describe('blocking a user', () => {
  const server = useChatApp({ users: 3, env: { CHAT_RATE_LIMIT: 'off' } });
  let alice: TestUser, bob: TestUser, carol: TestUser;
  beforeAll(() => void ([alice, bob, carol] = server.users));

  const connect = (user: TestUser) => server.connect(user);

  it('refuses the blocked user’s private messages and typing with forbidden, on every socket, until unblocked', async () => {
    const [a1, a2, b] = await Promise.all([connect(alice), connect(alice), connect(bob)]);
    a1.send({ type: 'block', user_id: bob.id });
    for (const socket of [a1, a2])
      expect(await socket.nextOfType('blocks')).toEqual({ type: 'blocks', user_ids: [bob.id] });

    b.send({ type: 'private_message', to: alice.id, content: 'let me in', client_id: 'pm1' });
    expect(await b.nextOfType('error')).toMatchObject({ code: 'forbidden', ref: 'pm1' });
    b.send({ type: 'typing', to: alice.id, active: true });
    expect(await b.nextOfType('error')).toMatchObject({ code: 'forbidden', ref: 'typing' });
    // alice may still write to bob; the block is one-way
    a1.send({ type: 'private_message', to: bob.id, content: 'I blocked you', client_id: 'pm2' });
    await a1.next((f) => f.type === 'ack' && f.client_id === 'pm2');
    // sentinel: a message from carol reaches alice after everything bob tried
    const c = await connect(carol);
    c.send({ type: 'private_message', to: alice.id, content: 'sentinel-block' });
    await a2.next((f) => f.type === 'private_message' && f.content === 'sentinel-block');
    expect(a2.frames.some((f) => (f.type === 'private_message' && f.user_id === bob.id) || f.type === 'typing')).toBe(
      false,
    );
    a2.send({ type: 'history', with: bob.id });
    expect(((await a2.nextOfType('history')) as HistoryFrame).messages.map((m) => m.content)).toEqual([
      'I blocked you',
    ]);

    a2.send({ type: 'unblock', user_id: bob.id });
    for (const socket of [a1, a2]) await socket.next((f) => f.type === 'blocks' && f.user_ids.length === 0);
    b.send({ type: 'private_message', to: alice.id, content: 'thanks', client_id: 'pm3' });
    expect(await a1.next((f) => f.type === 'private_message' && f.content === 'thanks')).toMatchObject({
      user_id: bob.id,
    });
    await Promise.all([a1, a2, b, c].map((s) => s.close()));
  });

  it('stores and delivers the blocked user’s room messages, flagged for the blocker only', async () => {
    const [a, b, c] = await Promise.all([connect(alice), connect(bob), connect(carol)]);
    a.send({ type: 'block', user_id: bob.id });
    await a.nextOfType('blocks');
    b.send({ type: 'chat_message', content: 'hello room', client_id: 'r1' });
    const ack = (await b.next((f) => f.type === 'ack' && f.client_id === 'r1')) as AckFrame;
    const atAlice = (await a.next((f) => f.type === 'chat_message' && f.id === ack.id)) as ChatMessageFrame;
    const atCarol = (await c.next((f) => f.type === 'chat_message' && f.id === ack.id)) as ChatMessageFrame;
    expect(atAlice).toEqual({ ...atCarol, blocked: true });
    expect(atCarol.blocked).toBeUndefined();

    a.send({ type: 'history' });
    const page = (await a.nextOfType('history')) as HistoryFrame;
    expect(page.messages.find((m) => m.id === ack.id)).toMatchObject({ blocked: true });
    c.send({ type: 'history' });
    expect(((await c.nextOfType('history')) as HistoryFrame).messages.find((m) => m.id === ack.id)).not.toHaveProperty(
      'blocked',
    );
    const late = await connect(alice);
    late.send({ type: 'resume', since: ack.id - 1 });
    await late.nextOfType('resumed');
    expect(late.frames.find((f) => f.type === 'chat_message' && f.id === ack.id)).toMatchObject({ blocked: true });

    a.send({ type: 'blocks' });
    expect(await a.nextOfType('blocks')).toEqual({ type: 'blocks', user_ids: [bob.id] });
    a.send({ type: 'unblock', user_id: bob.id });
    await a.next((f) => f.type === 'blocks' && f.user_ids.length === 0);
    b.send({ type: 'chat_message', content: 'after unblock', client_id: 'r2' });
    expect(await a.next((f) => f.type === 'chat_message' && f.content === 'after unblock')).not.toHaveProperty(
      'blocked',
    );
    await Promise.all([a, b, c, late].map((s) => s.close()));
  });

  it('refuses blocking yourself or an unknown user', async () => {
    const a = await connect(alice);
    a.send({ type: 'block', user_id: alice.id });
    expect(await a.nextOfType('error')).toMatchObject({ code: 'invalid_message', ref: 'block' });
    a.send({ type: 'block', user_id: 987654 });
    expect(await a.nextOfType('error')).toMatchObject({ code: 'not_found', ref: 'block' });
    await a.close();
  });
});
