import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryFrame, MessageDeletedFrame, MessageEditedFrame } from '../../src/chat/protocol/frames.js';
import { registerAndLogin, TestUser } from '../support/http-client.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { TestSocket } from '../support/ws-client.js';
import { useChatApp } from '../support/chat-app.js';

async function send(socket: TestSocket, frame: Record<string, unknown>): Promise<number> {
  socket.send(frame);
  return (await socket.nextOfType('ack')).id;
}

async function history(socket: TestSocket, query: Record<string, unknown> = {}): Promise<HistoryFrame> {
  socket.send({ type: 'history', limit: 50, ...query });
  return socket.nextOfType('history');
}

describe('deleting messages', () => {
  const server = useChatApp({ users: 3, env: { CHAT_RATE_LIMIT: 'off' } });
  let alice: TestUser, bob: TestUser, carol: TestUser;
  beforeAll(() => void ([alice, bob, carol] = server.users));

  it('reaches every socket at once; history, resume and a late joiner no longer see its content', async () => {
    const [a, b, c] = await Promise.all([alice, bob, carol].map((u) => TestSocket.connect(server.wsUrl, u.cookie)));
    const before = await send(a, { type: 'chat_message', content: 'before' });
    const doomed = await send(a, { type: 'chat_message', content: 'regrettable' });
    const after = await send(a, { type: 'chat_message', content: 'after' });
    a.send({ type: 'delete_message', id: doomed });
    const reply = (await a.nextOfType('message_deleted')) as MessageDeletedFrame;
    expect(reply).toEqual({ type: 'message_deleted', id: doomed, deleted_at: expect.any(String) });
    for (const socket of [b, c]) expect(await socket.nextOfType('message_deleted')).toEqual(reply);

    const page = await history(b);
    expect(page.messages.map((m) => m.id)).toEqual(expect.arrayContaining([before, after]));
    expect(page.messages.some((m) => m.id === doomed || m.content === 'regrettable')).toBe(false);
    expect(page.deleted).toEqual([doomed]);

    const late = await TestSocket.connect(server.wsUrl, carol.cookie);
    late.send({ type: 'resume', since: before });
    const resumed = await late.nextOfType('resumed');
    expect(resumed.last_id).toBe(after);
    const replayed = late.frames.filter((f) => f.type !== 'online_users' && f.type !== 'user_joined');
    expect(replayed.map((f) => [f.type, 'id' in f ? f.id : null])).toEqual([
      ['message_deleted', doomed],
      ['chat_message', after],
      ['resumed', null],
    ]);
    expect(JSON.stringify(late.frames)).not.toContain('regrettable');
    expect((await history(late)).messages.some((m) => m.id === doomed)).toBe(false);
    await Promise.all([a, b, c, late].map((s) => s.close()));
  });

  it('is idempotent, and refuses someone else’s message with forbidden and an unknown or hidden one with not_found', async () => {
    const [a, b] = await Promise.all([alice, bob].map((u) => TestSocket.connect(server.wsUrl, u.cookie)));
    const id = await send(a, { type: 'chat_message', content: 'mine' });
    b.send({ type: 'delete_message', id });
    expect(await b.nextOfType('error')).toMatchObject({ code: 'forbidden', ref: 'delete_message' });
    a.send({ type: 'delete_message', id });
    const first = await a.nextOfType('message_deleted');
    a.send({ type: 'delete_message', id });
    expect(await a.nextOfType('message_deleted')).toEqual(first);
    a.send({ type: 'delete_message', id: 987654 });
    expect(await a.nextOfType('error')).toMatchObject({ code: 'not_found' });
    const secret = await send(a, { type: 'private_message', to: bob.id, content: 'for bob only' });
    const c = await TestSocket.connect(server.wsUrl, carol.cookie);
    c.send({ type: 'delete_message', id: secret });
    expect(await c.nextOfType('error')).toMatchObject({ code: 'not_found' });
    await Promise.all([a, b, c].map((s) => s.close()));
  });

  it('deletes a private message for both participants and nobody else hears of it', async () => {
    const [a, b, c] = await Promise.all([alice, bob, carol].map((u) => TestSocket.connect(server.wsUrl, u.cookie)));
    const id = await send(b, { type: 'private_message', to: alice.id, content: 'psst' });
    b.send({ type: 'delete_message', id });
    for (const socket of [a, b]) expect(await socket.nextOfType('message_deleted')).toMatchObject({ id });
    expect((await history(a, { with: bob.id })).messages.some((m) => m.id === id)).toBe(false);
    // sentinel: a public message after the deletion reaches carol, and nothing about it before
    await send(a, { type: 'chat_message', content: 'sentinel-delete' });
    await c.next((f) => f.type === 'chat_message' && f.content === 'sentinel-delete');
    expect(c.frames.some((f) => f.type === 'message_deleted')).toBe(false);
    await Promise.all([a, b, c].map((s) => s.close()));
  });
});

describe('editing messages', () => {
  const server = useChatApp({ users: 2, env: { CHAT_RATE_LIMIT: 'off' } });
  let alice: TestUser, bob: TestUser;
  beforeAll(() => void ([alice, bob] = server.users));

  it('reaches everyone with edited_at; history and a resume after being offline return the edited version', async () => {
    const [a, b] = await Promise.all([alice, bob].map((u) => TestSocket.connect(server.wsUrl, u.cookie)));
    const id = await send(a, { type: 'chat_message', content: 'teh typo' });
    await b.next((f) => f.type === 'chat_message' && f.id === id);
    await b.close(); // bob goes offline having seen the original

    a.send({ type: 'edit_message', id, content: '  the typo  ' });
    const edited = (await a.nextOfType('message_edited')) as MessageEditedFrame;
    expect(edited).toEqual({
      type: 'message_edited',
      id,
      user_id: alice.id,
      content: 'the typo',
      edited_at: expect.any(String),
    });
    const page = await history(a);
    expect(page.messages.find((m) => m.id === id)).toMatchObject({ content: 'the typo', edited_at: edited.edited_at });

    const back = await TestSocket.connect(server.wsUrl, bob.cookie);
    back.send({ type: 'resume', since: id });
    await back.nextOfType('resumed');
    expect(back.frames.filter((f) => f.type === 'message_edited')).toEqual([edited]);
    await Promise.all([a.close(), back.close()]);
  });

  it('lets only the author edit, with the same validation as sending', async () => {
    const [a, b] = await Promise.all([alice, bob].map((u) => TestSocket.connect(server.wsUrl, u.cookie)));
    const id = await send(a, { type: 'private_message', to: bob.id, content: 'original' });
    b.send({ type: 'edit_message', id, content: 'hijacked', client_id: 'e1' });
    expect(await b.nextOfType('error')).toMatchObject({ code: 'forbidden', ref: 'e1' });
    a.send({ type: 'edit_message', id, content: '   ' });
    expect(await a.nextOfType('error')).toMatchObject({ code: 'invalid_message' });
    a.send({ type: 'edit_message', id, content: 'x'.repeat(2001) });
    expect(await a.nextOfType('error')).toMatchObject({ code: 'invalid_message' });
    a.send({ type: 'edit_message', id: 987654, content: 'nothing' });
    expect(await a.nextOfType('error')).toMatchObject({ code: 'not_found' });
    a.send({ type: 'edit_message', id, content: 'fixed' });
    expect(await b.nextOfType('message_edited')).toMatchObject({ id, content: 'fixed' });
    a.send({ type: 'delete_message', id });
    await a.nextOfType('message_deleted');
    a.send({ type: 'edit_message', id, content: 'revived?' });
    expect(await a.nextOfType('error')).toMatchObject({ code: 'not_found' });
    await Promise.all([a.close(), b.close()]);
  });
});

describe('editing limits', () => {
  const server = useChatApp({ users: 1, env: { CHAT_RATE_LIMIT: '1/1m,burst=2', CHAT_EDIT_WINDOW_MS: '0' } });
  let alice: TestUser;
  beforeAll(() => void ([alice] = server.users));

  it('refuses an edit after the window (0 here: never) with forbidden', async () => {
    const a = await TestSocket.connect(server.wsUrl, alice.cookie);
    const id = await send(a, { type: 'chat_message', content: 'final' });
    a.send({ type: 'edit_message', id, content: 'changed' });
    expect(await a.nextOfType('error')).toMatchObject({ code: 'forbidden', message: expect.stringContaining('0') });
    await a.close();
  });
});

describe('edits and the message rate limit', () => {
  const server = useChatApp({ users: 1, env: { CHAT_RATE_LIMIT: '1/1m,burst=2' } });
  let alice: TestUser;
  beforeAll(() => void ([alice] = server.users));

  it('charges edits to the same bucket as messages', async () => {
    const a = await TestSocket.connect(server.wsUrl, alice.cookie);
    const id = await send(a, { type: 'chat_message', content: 'one' });
    a.send({ type: 'edit_message', id, content: 'two' });
    await a.nextOfType('message_edited');
    a.send({ type: 'edit_message', id, content: 'three' });
    expect(await a.nextOfType('error')).toMatchObject({ code: 'rate_limited', retry_after_ms: expect.any(Number) });
    await a.close();
  });
});
