import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessageFrame, ErrorFrame, ServerFrame } from '../../src/chat/protocol/frames.js';
import { adminCall, putRoom, TEST_ADMIN_TOKEN } from '../support/admin-client.js';
import { registerAndLogin, TestUser } from '../support/http-client.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { TestSocket } from '../support/ws-client.js';

let roomCounter = 0;
const uniqueRoom = (prefix: string) => `${prefix}-${process.pid}-${++roomCounter}`;

/** The raw text of every frame a socket receives, as the server wrote it. */
function rawFramesOf(socket: TestSocket): string[] {
  const raw: string[] = [];
  socket.ws.on('message', (data, isBinary) => {
    if (!isBinary) raw.push(data.toString());
  });
  return raw;
}

/** Sends a lobby message from `from` and waits until `to` received it: everything published before has reached `to`. */
async function sentinel(from: TestSocket, to: TestSocket, label: string): Promise<void> {
  from.send({ type: 'chat_message', content: `sentinel ${label}` });
  await to.next((f) => f.type === 'chat_message' && f.content === `sentinel ${label}`);
}

const isError = (code: string, ref: string) => (f: ServerFrame) =>
  f.type === 'error' && f.code === code && f.ref === ref;

describe('rooms as live channels over real sockets', () => {
  let server: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let mod: TestUser;
  let staff: string;
  let news: string;

  beforeAll(async () => {
    // the suite sends more messages per user than the default bucket holds when the machine is fast
    server = await startTestApp({
      ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      AUTH_REGISTER_RATE_PER_IP: 'off',
      CHAT_RATE_LIMIT: 'off',
    });
    [alice, bob, carol, mod] = await Promise.all(Array.from({ length: 4 }, () => registerAndLogin(server.baseUrl)));
    staff = uniqueRoom('staff');
    news = uniqueRoom('news');
    await putRoom(server.baseUrl, staff, { title: 'Staff', members: [alice.id, bob.id], moderators: [mod.id] });
    await putRoom(server.baseUrl, news, { title: 'News', moderators: [mod.id], read_only: true });
  });
  afterAll(() => server.close());

  it('a seed client that never names a room sees the seed frames byte for byte, and nothing of other rooms', async () => {
    const seed = await TestSocket.connect(server.wsUrl, carol.cookie);
    const raw = rawFramesOf(seed);
    const member = await TestSocket.connect(server.wsUrl, alice.cookie);
    member.send({ type: 'join', room: staff });
    await member.nextOfType('joined');
    member.send({ type: 'chat_message', room: staff, content: 'staff only' });
    await member.next((f) => f.type === 'chat_message' && f.content === 'staff only');
    seed.send({ type: 'chat_message', content: 'hello lobby', client_id: 'seed-1' });
    const ack = await seed.nextOfType('ack');
    await seed.next((f) => f.type === 'chat_message' && f.id === ack.id);
    seed.send({ type: 'history', limit: 50 });
    await seed.nextOfType('history');
    await sentinel(member, seed, 'seed');
    const parsed = raw.map((text) => JSON.parse(text) as Record<string, unknown>);
    // every frame is compact JSON in the seed's field order; no room field anywhere
    for (const [i, frame] of parsed.entries()) expect(raw[i]).toBe(JSON.stringify(frame));
    const message = parsed.find((f) => f.type === 'chat_message' && f.id === ack.id)!;
    expect(Object.keys(message)).toEqual(['type', 'id', 'content', 'user_id', 'nickname', 'timestamp']);
    const history = parsed.find((f) => f.type === 'history')!;
    expect(Object.keys(history)).toEqual(['type', 'with', 'messages', 'has_more']);
    expect(raw.join('\n')).not.toContain('"room"');
    expect(raw.join('\n')).not.toContain('staff only');
    await Promise.all([seed.close(), member.close()]);
  });

  it('members follow a room: joined, live messages and typing with room, history of the room', async () => {
    const a = await TestSocket.connect(server.wsUrl, alice.cookie);
    const b = await TestSocket.connect(server.wsUrl, bob.cookie);
    for (const socket of [a, b]) socket.send({ type: 'join', room: staff });
    expect(await a.nextOfType('joined')).toEqual({
      type: 'joined',
      room: staff,
      title: 'Staff',
      post: true,
      moderate: false,
    });
    await b.nextOfType('joined');
    a.send({ type: 'chat_message', room: staff, content: 'hi staff', client_id: 'staff-1' });
    const ack = await a.nextOfType('ack');
    const atB = await b.next<ChatMessageFrame>((f) => f.type === 'chat_message' && f.id === ack.id);
    expect(atB).toMatchObject({ type: 'chat_message', room: staff, content: 'hi staff', user_id: alice.id });
    expect(Object.keys(atB).slice(0, 2)).toEqual(['type', 'room']);
    b.send({ type: 'typing', room: staff, active: true });
    expect(await a.nextOfType('typing')).toEqual({
      type: 'typing',
      room: staff,
      user_id: bob.id,
      nickname: bob.nickname,
      active: true,
    });
    b.send({ type: 'history', room: staff });
    const history = await b.nextOfType('history');
    expect(history).toMatchObject({ type: 'history', room: staff, with: null });
    expect(history.messages.map((m) => m.id)).toContain(ack.id);
    // lobby history holds no staff message
    b.send({ type: 'history', limit: 50 });
    const lobby = await b.nextOfType('history');
    expect(lobby.messages.map((m) => m.id)).not.toContain(ack.id);
    // leaving stops delivery; the sender's next message reaches a only
    b.send({ type: 'leave', room: staff });
    expect(await b.nextOfType('left')).toEqual({ type: 'left', room: staff });
    a.send({ type: 'chat_message', room: staff, content: 'after bob left' });
    await a.next((f) => f.type === 'chat_message' && f.content === 'after bob left');
    await sentinel(a, b, 'left');
    expect(b.frames.some((f) => f.type === 'chat_message' && f.content === 'after bob left')).toBe(false);
    await Promise.all([a.close(), b.close()]);
  });

  it('a non-member gets not_found for join, history, posts and typing, alike for a room that does not exist, and never receives the room', async () => {
    const member = await TestSocket.connect(server.wsUrl, alice.cookie);
    member.send({ type: 'join', room: staff });
    await member.nextOfType('joined');
    const outsider = await TestSocket.connect(server.wsUrl, carol.cookie);
    const missing = uniqueRoom('missing');
    const answers: Record<string, ErrorFrame[]> = {};
    for (const room of [staff, missing]) {
      outsider.send({ type: 'join', room });
      outsider.send({ type: 'history', room });
      outsider.send({ type: 'chat_message', room, content: 'let me in' });
      outsider.send({ type: 'typing', room, active: true });
      answers[room] = [
        await outsider.next<ErrorFrame>(isError('not_found', 'join')),
        await outsider.next<ErrorFrame>(isError('not_found', 'history')),
        await outsider.next<ErrorFrame>(isError('not_found', 'chat_message')),
        await outsider.next<ErrorFrame>(isError('not_found', 'typing')),
      ];
    }
    const withoutRoomName = (frames: ErrorFrame[], room: string) =>
      frames.map((f) => ({ ...f, message: f.message.replace(room, '<room>') }));
    expect(withoutRoomName(answers[staff]!, staff)).toEqual(withoutRoomName(answers[missing]!, missing));
    // its messages cannot be flagged, edited or deleted by the outsider either
    member.send({ type: 'chat_message', room: staff, content: 'secret', client_id: 'secret-1' });
    const ack = await member.nextOfType('ack');
    outsider.send({ type: 'flag', id: ack.id, reason: 'what is this' });
    await outsider.next(isError('not_found', 'flag'));
    outsider.send({ type: 'resume', since: ack.id - 1 });
    await outsider.nextOfType('resumed');
    await sentinel(member, outsider, 'outsider');
    expect(outsider.frames.some((f) => JSON.stringify(f).includes('secret'))).toBe(false);
    expect(outsider.frames.some((f) => f.type === 'chat_message' && f.room !== undefined)).toBe(false);
    await Promise.all([member.close(), outsider.close()]);
  });

  it('a read-only member follows and reads but gets forbidden for posts and typing; a moderator posts', async () => {
    const reader = await TestSocket.connect(server.wsUrl, bob.cookie);
    const moderator = await TestSocket.connect(server.wsUrl, mod.cookie);
    reader.send({ type: 'join', room: news });
    expect(await reader.nextOfType('joined')).toMatchObject({
      room: news,
      title: 'News',
      post: false,
      moderate: false,
    });
    moderator.send({ type: 'join', room: news });
    expect(await moderator.nextOfType('joined')).toMatchObject({ post: true, moderate: true });
    reader.send({ type: 'chat_message', room: news, content: 'may I?' });
    await reader.next(isError('forbidden', 'chat_message'));
    reader.send({ type: 'typing', room: news, active: true });
    await reader.next(isError('forbidden', 'typing'));
    moderator.send({ type: 'chat_message', room: news, content: 'announcement' });
    await reader.next((f) => f.type === 'chat_message' && f.room === news && f.content === 'announcement');
    reader.send({ type: 'history', room: news });
    expect((await reader.nextOfType('history')).messages.map((m) => m.content)).toContain('announcement');
    await Promise.all([reader.close(), moderator.close()]);
  });

  it('resume replays the rooms the socket follows, and only those', async () => {
    const writer = await TestSocket.connect(server.wsUrl, alice.cookie);
    writer.send({ type: 'chat_message', content: 'resume base', client_id: 'resume-base' });
    const base = await writer.nextOfType('ack');
    writer.send({ type: 'chat_message', room: staff, content: 'missed in staff' });
    await writer.nextOfType('ack');
    const follower = await TestSocket.connect(server.wsUrl, bob.cookie);
    follower.send({ type: 'resume', since: base.id });
    await follower.nextOfType('resumed');
    expect(follower.frames.some((f) => f.type === 'chat_message' && f.content === 'missed in staff')).toBe(false);
    follower.send({ type: 'join', room: staff });
    await follower.nextOfType('joined');
    follower.send({ type: 'resume', since: base.id });
    await follower.next((f) => f.type === 'chat_message' && f.room === staff && f.content === 'missed in staff');
    await Promise.all([writer.close(), follower.close()]);
  });

  it('removing a member cuts their live delivery within 1 s: left with reason access, then nothing of the room', async () => {
    const room = uniqueRoom('cut');
    await putRoom(server.baseUrl, room, { title: 'Cut', members: [alice.id, bob.id] });
    const a = await TestSocket.connect(server.wsUrl, alice.cookie);
    const b = await TestSocket.connect(server.wsUrl, bob.cookie);
    for (const socket of [a, b]) socket.send({ type: 'join', room });
    await Promise.all([a.nextOfType('joined'), b.nextOfType('joined')]);
    await putRoom(server.baseUrl, room, { title: 'Cut', members: [alice.id] });
    expect(await b.next((f) => f.type === 'left', 1_000)).toEqual({ type: 'left', room, reason: 'access' });
    a.send({ type: 'chat_message', room, content: 'after the cut' });
    await a.next((f) => f.type === 'chat_message' && f.content === 'after the cut');
    await sentinel(a, b, 'cut');
    expect(b.frames.some((f) => f.type === 'chat_message' && f.content === 'after the cut')).toBe(false);
    b.send({ type: 'join', room });
    await b.next(isError('not_found', 'join'));
    // deleting the room cuts the last member too
    expect((await adminCall(server.baseUrl, 'DELETE', `/api/admin/rooms/${room}`)).status).toBe(204);
    expect(await a.next((f) => f.type === 'left', 1_000)).toEqual({ type: 'left', room, reason: 'access' });
    await Promise.all([a.close(), b.close()]);
  });

  it('refuses malformed room frames with invalid_message', async () => {
    const socket = await TestSocket.connect(server.wsUrl, alice.cookie);
    socket.send({ type: 'join', room: 'Not A Room' });
    await socket.next(isError('invalid_message', 'join'));
    socket.send({ type: 'typing', active: true });
    await socket.next(isError('invalid_message', 'typing'));
    socket.send({ type: 'typing', room: 'lobby', active: true });
    await socket.next(isError('invalid_message', 'typing'));
    socket.send({ type: 'history', with: bob.id, room: staff });
    await socket.next(isError('invalid_message', 'history'));
    await socket.close();
  });
});
