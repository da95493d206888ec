import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AckFrame, ConversationsFrame, MessageEditedFrame, ReadFrame } from '../../src/chat/protocol/frames.js';
import { putRoom, TEST_ADMIN_TOKEN } from '../support/admin-client.js';
import { postJson, registerAndLogin, TestUser } from '../support/http-client.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { TestSocket } from '../support/ws-client.js';

/** A tag unique to this run, so nickname searches find only this spec's users. */
const TAG = `rs${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;

async function privately(from: TestSocket, to: TestUser, content: string) {
  from.send({ type: 'private_message', to: to.id, content, client_id: content });
  return from.next<AckFrame>((f) => f.type === 'ack' && f.client_id === content);
}

/** Registers and logs in one user after the other (password hashing is bounded per process). */
async function usersNamed(baseUrl: string, names: string[]): Promise<TestUser[]> {
  const users: TestUser[] = [];
  for (const name of names) users.push(await registerAndLogin(baseUrl, name ? `${TAG}${name}` : undefined));
  return users;
}

async function conversations(socket: TestSocket, query: { before?: number; limit?: number } = {}) {
  socket.send({ type: 'conversations', ...query });
  return socket.nextOfType('conversations');
}

describe('conversations, user search and read state', () => {
  let server: TestApp;

  beforeAll(async () => {
    server = await startTestApp({
      CHAT_RATE_LIMIT: 'off',
      AUTH_REGISTER_RATE_PER_IP: 'off',
      AUTH_LOGIN_RATE_PER_IP: 'off',
      ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    });
  });
  afterAll(() => server.close());

  it('lists only the users one has a private conversation with, most recent first, in pages', async () => {
    const [me, ann, ben, cid, stranger] = await usersNamed(server.baseUrl, ['me', 'ann', 'ben', 'cid', 'stranger']);
    const [socket, annSocket] = await Promise.all([
      TestSocket.connect(server.wsUrl, me.cookie),
      TestSocket.connect(server.wsUrl, ann.cookie),
    ]);
    await privately(socket, ben, 'to ben');
    await privately(annSocket, me, 'from ann');
    const last = await privately(socket, cid, 'to cid');
    socket.send({ type: 'chat_message', content: 'the lobby makes no conversation' });
    await socket.nextOfType('ack');

    const all = await conversations(socket);
    expect(all.has_more).toBe(false);
    expect(all.users.map((u) => u.nickname)).toEqual([cid.nickname, ann.nickname, ben.nickname]);
    expect(all.users.some((u) => u.id === stranger.id || u.id === me.id)).toBe(false);
    expect(all.users[0]).toEqual({
      id: cid.id,
      nickname: cid.nickname,
      online: false,
      last_message_at: last.timestamp,
      last_message_id: last.id,
      read_id: 0,
      unread: 0,
      mentions: 0,
    });
    expect(all.users[1]).toMatchObject({ id: ann.id, online: true, unread: 1 });

    const first = await conversations(socket, { limit: 2 });
    expect(first).toMatchObject({ has_more: true });
    expect(first.users.map((u) => u.id)).toEqual([cid.id, ann.id]);
    const rest = await conversations(socket, { limit: 2, before: first.users[1].last_message_id });
    expect(rest).toMatchObject({ has_more: false, users: [{ id: ben.id }] });

    socket.send({ type: 'conversations', limit: 101 });
    expect(await socket.nextOfType('error')).toMatchObject({ code: 'invalid_message', ref: 'conversations' });
    await Promise.all([socket.close(), annSocket.close()]);
  });

  it('finds users by nickname prefix, case-insensitively, 20 a page, never the caller', async () => {
    const prefix = `${TAG}F`;
    const caller = await registerAndLogin(server.baseUrl, `${prefix}x00`);
    const found: Array<{ id: number; nickname: string }> = [];
    for (let i = 0; i < 21; i++) {
      const nickname = `${prefix}${i % 2 ? 'x' : 'X'}${String(i + 1).padStart(2, '0')}`;
      const { status, body } = await postJson(server.baseUrl, '/api/auth/register', {
        nickname,
        password: 'x'.repeat(12),
      });
      expect(status).toBe(201);
      found.push(body as { id: number; nickname: string });
    }
    const socket = await TestSocket.connect(server.wsUrl, caller.cookie);
    socket.send({ type: 'search_users', prefix: prefix.toLowerCase() });
    const first = await socket.nextOfType('users');
    expect(first.has_more).toBe(true);
    expect(first.prefix).toBe(prefix.toLowerCase());
    expect(first.users).toHaveLength(20);
    expect(first.users.some((u) => u.id === caller.id)).toBe(false);
    expect(Object.keys(first.users[0]).sort()).toEqual(['id', 'nickname']);
    const expected = found
      .map((u) => ({ id: u.id, nickname: u.nickname }))
      .sort((a, b) => (a.nickname.toLowerCase() < b.nickname.toLowerCase() ? -1 : 1));
    expect(first.users).toEqual(expected.slice(0, 20));

    socket.send({ type: 'search_users', prefix: prefix.toUpperCase(), after: first.users[19].nickname });
    const second = await socket.nextOfType('users');
    expect(second).toEqual({ type: 'users', prefix: prefix.toUpperCase(), users: expected.slice(20), has_more: false });

    socket.send({ type: 'search_users', prefix: `${TAG}nobody` });
    expect(await socket.nextOfType('users')).toMatchObject({ users: [], has_more: false });
    socket.send({ type: 'search_users', prefix: '' });
    expect(await socket.nextOfType('error')).toMatchObject({ code: 'invalid_message', ref: 'search_users' });
    await socket.close();
  });

  it('counts two messages that arrived while away as unread, and mark_read updates every tab', async () => {
    const [away, sender] = await usersNamed(server.baseUrl, ['away', 'sender']);
    const senderSocket = await TestSocket.connect(server.wsUrl, sender.cookie);
    await privately(senderSocket, away, 'are you there?');
    const second = await privately(senderSocket, away, 'hello?');

    const [tab1, tab2] = await Promise.all([
      TestSocket.connect(server.wsUrl, away.cookie),
      TestSocket.connect(server.wsUrl, away.cookie),
    ]);
    const list = await conversations(tab1);
    expect(list.users).toEqual([expect.objectContaining({ id: sender.id, unread: 2, read_id: 0 })]);

    tab1.send({ type: 'mark_read', with: sender.id, id: second.id });
    const expected: ReadFrame = { type: 'read', with: sender.id, id: second.id, unread: 0, mentions: 0 };
    expect(await tab1.nextOfType('read')).toEqual(expected);
    expect(await tab2.nextOfType('read')).toEqual(expected);
    expect(senderSocket.frames.some((f) => f.type === 'read')).toBe(false);

    // marking an older message read does not move the position back
    tab2.send({ type: 'mark_read', with: sender.id, id: 1 });
    expect(await tab2.nextOfType('read')).toEqual(expected);
    expect(await tab1.nextOfType('read')).toEqual(expected);
    await Promise.all([tab1.close(), tab2.close()]);

    // it survives the reconnect; a new message counts again
    const third = await privately(senderSocket, away, 'one more');
    const again = await TestSocket.connect(server.wsUrl, away.cookie);
    const after: ConversationsFrame = await conversations(again);
    expect(after.users[0]).toMatchObject({ id: sender.id, read_id: second.id, unread: 1, last_message_id: third.id });
    await Promise.all([again.close(), senderSocket.close()]);
  });

  it('lists the rooms one can read with unread counts, and mark_read of a room updates every tab', async () => {
    const [reader, writer, outsider] = await usersNamed(server.baseUrl, ['reader', 'writer', 'outsider']);
    const staff = `${TAG}-staff`;
    await putRoom(server.baseUrl, staff, { title: 'Staff', members: [reader.id, writer.id] });
    const [tab1, tab2, writerSocket, outsiderSocket] = await Promise.all([
      TestSocket.connect(server.wsUrl, reader.cookie),
      TestSocket.connect(server.wsUrl, reader.cookie),
      TestSocket.connect(server.wsUrl, writer.cookie),
      TestSocket.connect(server.wsUrl, outsider.cookie),
    ]);
    // whatever the lobby held before counts as read from here
    tab1.send({ type: 'mark_read', room: 'lobby', id: Number.MAX_SAFE_INTEGER });
    await tab1.next((f) => f.type === 'read' && f.room === 'lobby');
    await tab2.next((f) => f.type === 'read' && f.room === 'lobby');
    writerSocket.send({ type: 'chat_message', content: 'one', client_id: 'lobby-1' });
    await writerSocket.next((f) => f.type === 'ack' && f.client_id === 'lobby-1');
    writerSocket.send({ type: 'chat_message', content: 'two', client_id: 'lobby-2' });
    const second = await writerSocket.next<AckFrame>((f) => f.type === 'ack' && f.client_id === 'lobby-2');

    tab1.send({ type: 'rooms' });
    const { rooms } = await tab1.nextOfType('rooms');
    expect(rooms[0]).toMatchObject({ id: 'lobby', title: 'Lobby', post: true, unread: 2, last_message_id: second.id });
    expect(rooms[0].last_message_at).toBe(second.timestamp);
    expect(rooms.find((room) => room.id === staff)).toEqual({
      id: staff,
      title: 'Staff',
      post: true,
      moderate: false,
      last_message_at: null,
      last_message_id: 0,
      read_id: 0,
      unread: 0,
      mentions: 0,
    });
    outsiderSocket.send({ type: 'rooms' });
    expect((await outsiderSocket.nextOfType('rooms')).rooms.some((room) => room.id === staff)).toBe(false);

    // a message in the members' room counts there, with its mention of the reader
    writerSocket.send({
      type: 'chat_message',
      room: staff,
      content: `@${reader.nickname} staff news`,
      client_id: 's-1',
    });
    const inStaff = await writerSocket.next<AckFrame>((f) => f.type === 'ack' && f.client_id === 's-1');
    tab2.send({ type: 'rooms' });
    expect((await tab2.nextOfType('rooms')).rooms.find((room) => room.id === staff)).toMatchObject({
      last_message_id: inStaff.id,
      unread: 1,
      mentions: 1,
    });

    tab2.send({ type: 'mark_read', room: 'lobby', id: second.id });
    const read: ReadFrame = { type: 'read', room: 'lobby', id: second.id, unread: 0, mentions: 0 };
    expect(await tab2.next((f) => f.type === 'read' && f.id === second.id)).toEqual(read);
    expect(await tab1.next((f) => f.type === 'read' && f.id === second.id)).toEqual(read);

    // a room one may not read is answered like one that does not exist
    outsiderSocket.send({ type: 'mark_read', room: staff, id: 1 });
    expect(await outsiderSocket.nextOfType('error')).toMatchObject({ code: 'not_found', ref: 'mark_read' });
    outsiderSocket.send({ type: 'mark_read', room: 'no-such-room', id: 1 });
    expect(await outsiderSocket.nextOfType('error')).toMatchObject({ code: 'not_found', ref: 'mark_read' });
    outsiderSocket.send({ type: 'mark_read', room: 'lobby', with: reader.id, id: 1 });
    expect(await outsiderSocket.nextOfType('error')).toMatchObject({ code: 'invalid_message', ref: 'mark_read' });
    await Promise.all([tab1, tab2, writerSocket, outsiderSocket].map((socket) => socket.close()));
  });

  it('resolves @nicknames to the mentioned users on the message frame and counts unread mentions', async () => {
    const [alice, bob] = await usersNamed(server.baseUrl, ['mentioned', 'mentioner']);
    const [aliceSocket, bobSocket] = await Promise.all([
      TestSocket.connect(server.wsUrl, alice.cookie),
      TestSocket.connect(server.wsUrl, bob.cookie),
    ]);
    bobSocket.send({
      type: 'chat_message',
      content: `hi @${alice.nickname.toUpperCase()}, @${bob.nickname} and @nobody_here`,
    });
    const live = await aliceSocket.next((f) => f.type === 'chat_message' && f.user_id === bob.id);
    expect(live).toMatchObject({ type: 'chat_message', mentions: [alice.id] });
    bobSocket.send({ type: 'chat_message', content: 'no mention', client_id: 'plain' });
    const plain = await aliceSocket.next((f) => f.type === 'chat_message' && f.content === 'no mention');
    expect('mentions' in plain).toBe(false);
    bobSocket.send({ type: 'private_message', to: alice.id, content: `@${alice.nickname} psst` });
    expect(await aliceSocket.nextOfType('private_message')).toMatchObject({ mentions: [alice.id] });

    aliceSocket.send({ type: 'rooms' });
    const lobby = (await aliceSocket.nextOfType('rooms')).rooms[0];
    expect(lobby).toMatchObject({ id: 'lobby', mentions: 1 });
    aliceSocket.send({ type: 'conversations' });
    expect((await aliceSocket.nextOfType('conversations')).users[0]).toMatchObject({
      id: bob.id,
      unread: 1,
      mentions: 1,
    });
    aliceSocket.send({ type: 'history', limit: 2 });
    const page = await aliceSocket.nextOfType('history');
    expect(page.messages.map((m) => m.mentions)).toEqual([[alice.id], undefined]);
    await Promise.all([aliceSocket.close(), bobSocket.close()]);
  });

  it('an edit that adds a mention tells the newly mentioned user, once, and never takes a mention back', async () => {
    const [ann, cal, author] = await usersNamed(server.baseUrl, ['editann', 'editcal', 'editor']);
    const [annSocket, calSocket, authorSocket] = await Promise.all(
      [ann, cal, author].map((user) => TestSocket.connect(server.wsUrl, user.cookie)),
    );
    const edit = async (content: string, ref: string) => {
      authorSocket.send({ type: 'edit_message', id, content, client_id: ref });
      const reply = await authorSocket.next<MessageEditedFrame>(
        (f) => f.type === 'message_edited' && f.content === content,
      );
      for (const socket of [annSocket, calSocket])
        expect(await socket.next((f) => f.type === 'message_edited' && f.content === content)).toEqual(reply);
      return reply;
    };
    authorSocket.send({ type: 'chat_message', content: `hi @${ann.nickname}`, client_id: 'e0' });
    const { id } = await authorSocket.next<AckFrame>((f) => f.type === 'ack' && f.client_id === 'e0');

    const added = await edit(`hi @${ann.nickname} and @${cal.nickname}`, 'e1');
    expect(added).toMatchObject({ mentions: [ann.id, cal.id].sort((a, b) => a - b), new_mentions: [cal.id] });
    calSocket.send({ type: 'rooms' });
    expect((await calSocket.nextOfType('rooms')).rooms[0]).toMatchObject({ id: 'lobby', mentions: 1 });

    const again = await edit(`hi @${cal.nickname}, @${ann.nickname}!`, 'e2');
    expect(again.mentions).toEqual(added.mentions);
    expect('new_mentions' in again).toBe(false);
    const dropped = await edit('hi nobody', 'e3');
    expect(dropped.mentions).toEqual(added.mentions);
    expect('new_mentions' in dropped).toBe(false);
    calSocket.send({ type: 'rooms' });
    expect((await calSocket.nextOfType('rooms')).rooms[0]).toMatchObject({ id: 'lobby', mentions: 1 });
    calSocket.send({ type: 'history', limit: 1 });
    expect((await calSocket.nextOfType('history')).messages[0]).toMatchObject({ id, mentions: added.mentions });
    await Promise.all([annSocket, calSocket, authorSocket].map((socket) => socket.close()));
  });

  it('answers not_found for a conversation that does not exist and invalid_message for oneself', async () => {
    const [me, other] = await usersNamed(server.baseUrl, ['', '']);
    const socket = await TestSocket.connect(server.wsUrl, me.cookie);
    socket.send({ type: 'mark_read', with: other.id, id: 1 });
    expect(await socket.nextOfType('error')).toMatchObject({ code: 'not_found', ref: 'mark_read' });
    socket.send({ type: 'mark_read', with: me.id, id: 1 });
    expect(await socket.nextOfType('error')).toMatchObject({ code: 'invalid_message', ref: 'mark_read' });
    socket.send({ type: 'mark_read', with: other.id });
    expect(await socket.nextOfType('error')).toMatchObject({ code: 'invalid_message', ref: 'mark_read' });
    socket.send({ type: 'mark_read', room: 'Not A Room', id: 1 });
    expect(await socket.nextOfType('error')).toMatchObject({ code: 'invalid_message', ref: 'mark_read' });
    await socket.close();
  });
});
