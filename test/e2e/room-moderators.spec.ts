import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AckFrame, ErrorFrame, MessageDeletedFrame, MutedFrame } from '../../src/chat/protocol/frames.js';
import { adminCall } from '../support/admin-client.js';
import { chatAdmin, MODERATION_ADMIN_TOKEN } from '../support/chat-admin.js';
import { useChatApp } from '../support/chat-app.js';
import type { TestUser } from '../support/http-client.js';
import type { TestSocket } from '../support/ws-client.js';

async function post(socket: TestSocket, frame: Record<string, unknown>): Promise<number> {
  const clientId = `c${Math.random().toString(36).slice(2)}`;
  socket.send({ ...frame, client_id: clientId });
  return ((await socket.next((f) => f.type === 'ack' && f.client_id === clientId)) as AckFrame).id;
}

describe("moderators of a room, as the forum's room policy names them", () => {
  // every socket of the suite comes from 127.0.0.1: more handshakes a second than one address may make
  const server = useChatApp({
    users: 4,
    env: { CHAT_RATE_LIMIT: 'off', CHAT_HANDSHAKE_RATE_PER_IP: 'off', ADMIN_TOKEN: MODERATION_ADMIN_TOKEN },
  });
  let alice: TestUser, bob: TestUser, carol: TestUser, mod: TestUser;
  beforeAll(() => void ([alice, bob, carol, mod] = server.users));

  /** Sockets opened by the running test, closed after it (a user may hold only so many). */
  const opened: TestSocket[] = [];
  const connect = async (user: TestUser) => {
    const socket = await server.connect(user);
    opened.push(socket);
    return socket;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((socket) => socket.close()));
  });

  /** Names lobby's moderators through the stand-in forum's rooms admin API. */
  async function lobbyModerators(...ids: number[]): Promise<void> {
    const { status } = await adminCall(
      server.baseUrl,
      'PUT',
      '/api/admin/rooms/lobby',
      { title: 'Lobby', moderators: ids },
      MODERATION_ADMIN_TOKEN,
    );
    expect(status).toBe(200);
  }

  it("a moderator deletes another's lobby message: every socket gets the tombstone, history drops it, the audit names the moderator", async () => {
    await lobbyModerators(mod.id);
    const [a, b, c, m] = await Promise.all([alice, bob, carol, mod].map((u) => connect(u)));
    const id = await post(a, { type: 'chat_message', content: 'spam spam spam' });
    m.send({ type: 'delete_message', id });
    const reply = (await m.nextOfType('message_deleted')) as MessageDeletedFrame;
    expect(reply).toEqual({ type: 'message_deleted', id, deleted_at: expect.any(String) });
    for (const socket of [a, b, c]) expect(await socket.nextOfType('message_deleted')).toEqual(reply);

    b.send({ type: 'history', limit: 50 });
    const page = await b.nextOfType('history');
    expect(page.deleted).toContain(id);
    expect(JSON.stringify(page)).not.toContain('spam spam spam');
    // deleting again is idempotent: the same tombstone, nobody else hears anything, no second audit entry
    m.send({ type: 'delete_message', id });
    expect(await m.nextOfType('message_deleted')).toEqual(reply);

    const audit = await chatAdmin(server.baseUrl, 'GET', '/audit?limit=5');
    const deletions = audit.body.entries.filter((e: { action: string }) => e.action === 'delete');
    expect(deletions).toEqual([
      expect.objectContaining({
        actor_id: mod.id,
        action: 'delete',
        room: 'lobby',
        target_user_id: alice.id,
        message_id: id,
        at: expect.any(String),
      }),
    ]);
  });

  it('anyone else deleting another user’s message gets forbidden and the message stays, on every socket', async () => {
    await lobbyModerators(mod.id);
    const [a, b, c] = await Promise.all([alice, bob, carol].map((u) => connect(u)));
    const id = await post(a, { type: 'chat_message', content: 'keep me' });
    b.send({ type: 'delete_message', id });
    expect(await b.nextOfType('error')).toMatchObject({
      code: 'forbidden',
      ref: 'delete_message',
      message: expect.stringContaining('moderator of lobby'),
    });
    // a private message is its author's alone: neither its recipient nor a lobby moderator deletes it
    const privateId = await post(a, { type: 'private_message', to: bob.id, content: 'between us' });
    b.send({ type: 'delete_message', id: privateId });
    expect(await b.nextOfType('error')).toMatchObject({ code: 'forbidden', ref: 'delete_message' });
    const m = await connect(mod);
    m.send({ type: 'delete_message', id: privateId });
    expect(await m.nextOfType('error')).toMatchObject({ code: 'not_found', ref: 'delete_message' });
    // sentinel: nobody got a tombstone for either
    await post(c, { type: 'chat_message', content: 'sentinel-forbidden' });
    await a.next((f) => f.type === 'chat_message' && f.content === 'sentinel-forbidden');
    expect([...a.frames, ...b.frames, ...c.frames].some((f) => f.type === 'message_deleted')).toBe(false);
    b.send({ type: 'history', limit: 50 });
    expect((await b.nextOfType('history')).messages.map((f) => f.id)).toContain(id);
  });

  it('the right follows the policy at the moment of the action: a moderator removed from lobby is refused', async () => {
    await lobbyModerators(mod.id, carol.id);
    const [a, c] = await Promise.all([alice, carol].map((u) => connect(u)));
    const first = await post(a, { type: 'chat_message', content: 'first' });
    const second = await post(a, { type: 'chat_message', content: 'second' });
    c.send({ type: 'delete_message', id: first });
    expect((await c.nextOfType('message_deleted')).id).toBe(first);
    await lobbyModerators(mod.id);
    c.send({ type: 'delete_message', id: second });
    expect(await c.nextOfType('error')).toMatchObject({ code: 'forbidden', ref: 'delete_message' });
  });

  it('the administration deletes any message over the admin API, audited as the admin (actor 0)', async () => {
    const [a, b] = await Promise.all([alice, bob].map((u) => connect(u)));
    const id = await post(a, { type: 'private_message', to: bob.id, content: 'abusive' });
    await b.next((f) => f.type === 'private_message' && f.id === id);
    expect((await chatAdmin(server.baseUrl, 'DELETE', `/messages/${id}`)).status).toBe(204);
    for (const socket of [a, b]) expect(await socket.nextOfType('message_deleted')).toMatchObject({ id });
    expect((await chatAdmin(server.baseUrl, 'DELETE', `/messages/${id}`)).status).toBe(204);
    expect((await chatAdmin(server.baseUrl, 'DELETE', `/messages/${id + 1_000_000}`)).status).toBe(404);
    expect((await chatAdmin(server.baseUrl, 'DELETE', '/messages/x')).status).toBe(400);
    const audit = await chatAdmin(server.baseUrl, 'GET', '/audit?limit=1');
    expect(audit.body.entries[0]).toMatchObject({
      actor_id: 0,
      action: 'delete',
      room: null,
      target_user_id: alice.id,
      message_id: id,
    });
  });

  it('a moderator mutes from the socket: the muted user’s sockets are told the time left, posts are refused with it, a new socket is told at connect, unmute tells them again', async () => {
    await lobbyModerators(mod.id);
    const [m, b1, b2, c] = await Promise.all([mod, bob, bob, carol].map((u) => connect(u)));
    m.send({ type: 'mute', user_id: bob.id, duration_ms: 600_000 });
    const reply = (await m.nextOfType('muted')) as MutedFrame;
    expect(reply).toEqual({
      type: 'muted',
      room: 'lobby',
      user_id: bob.id,
      until: expect.any(String),
      remaining_ms: 600_000,
    });
    for (const socket of [b1, b2]) {
      const notice = (await socket.nextOfType('muted')) as MutedFrame;
      expect(notice).toMatchObject({ room: 'lobby', user_id: bob.id, until: reply.until });
      expect(notice.remaining_ms).toBeGreaterThan(590_000);
    }
    b1.send({ type: 'chat_message', content: 'let me speak', client_id: 'muted-1' });
    const refusal = (await b1.nextOfType('error')) as ErrorFrame;
    expect(refusal).toMatchObject({ code: 'forbidden', ref: 'muted-1' });
    expect(refusal.retry_after_ms).toBeGreaterThan(590_000);
    const b3 = await connect(bob);
    expect(((await b3.nextOfType('muted')) as MutedFrame).until).toBe(reply.until);

    // nobody else is told, and a user who does not moderate lobby cannot mute
    c.send({ type: 'mute', user_id: alice.id });
    expect(await c.nextOfType('error')).toMatchObject({ code: 'forbidden', ref: 'mute' });
    c.send({ type: 'unmute', user_id: bob.id });
    expect(await c.nextOfType('error')).toMatchObject({ code: 'forbidden', ref: 'unmute' });
    m.send({ type: 'mute', user_id: mod.id });
    expect(await m.nextOfType('error')).toMatchObject({ code: 'invalid_message', ref: 'mute' });
    m.send({ type: 'mute', user_id: bob.id, duration_ms: 10 });
    expect(await m.nextOfType('error')).toMatchObject({ code: 'invalid_message', ref: 'mute' });
    expect(c.frames.some((f) => f.type === 'muted')).toBe(false);

    m.send({ type: 'unmute', user_id: bob.id });
    expect(await m.nextOfType('unmuted')).toEqual({ type: 'unmuted', room: 'lobby', user_id: bob.id });
    for (const socket of [b1, b2, b3])
      expect(await socket.nextOfType('unmuted')).toEqual({ type: 'unmuted', room: 'lobby', user_id: bob.id });
    await post(b2, { type: 'chat_message', content: 'free again' });

    // until lifted: no end, no time left
    m.send({ type: 'mute', user_id: bob.id });
    expect(await b1.nextOfType('muted')).toMatchObject({ until: null, remaining_ms: null });
    b1.send({ type: 'chat_message', content: 'still?', client_id: 'muted-2' });
    expect(await b1.nextOfType('error')).toMatchObject({ code: 'forbidden', ref: 'muted-2' });
    m.send({ type: 'unmute', user_id: bob.id });
    await b1.nextOfType('unmuted');

    const audit = await chatAdmin(server.baseUrl, 'GET', '/audit?limit=4');
    expect(audit.body.entries.map((e: { actor_id: number; action: string; target_user_id: number }) => e)).toEqual(
      ['unmute', 'mute', 'unmute', 'mute'].map((action) =>
        expect.objectContaining({ actor_id: mod.id, action, room: 'lobby', target_user_id: bob.id }),
      ),
    );
  });

  it('a mute over the admin API reaches the muted user’s sockets as well', async () => {
    const b = await connect(bob);
    expect((await chatAdmin(server.baseUrl, 'PUT', `/mutes/lobby/${bob.id}`, { duration_ms: 60_000 })).status).toBe(
      200,
    );
    expect(await b.nextOfType('muted')).toMatchObject({ room: 'lobby', user_id: bob.id, until: expect.any(String) });
    expect((await chatAdmin(server.baseUrl, 'DELETE', `/mutes/lobby/${bob.id}`)).status).toBe(204);
    expect(await b.nextOfType('unmuted')).toEqual({ type: 'unmuted', room: 'lobby', user_id: bob.id });
  });

  it('a moderator lists the open flags of the room without their flaggers and resolves one, audited; others are refused', async () => {
    await lobbyModerators(mod.id);
    const [a, b, c, m] = await Promise.all([alice, bob, carol, mod].map((u) => connect(u)));
    const id = await post(b, { type: 'chat_message', content: 'flag-worthy' });
    a.send({ type: 'flag', id, reason: 'insulting' });
    const { flag_id } = await a.nextOfType('flagged');

    c.send({ type: 'open_flags' });
    expect(await c.nextOfType('error')).toMatchObject({ code: 'forbidden', ref: 'open_flags' });
    c.send({ type: 'resolve_flag', id: flag_id, resolution: 'fine' });
    expect(await c.nextOfType('error')).toMatchObject({ code: 'forbidden', ref: 'resolve_flag' });

    m.send({ type: 'open_flags', room: 'lobby' });
    const open = await m.nextOfType('open_flags');
    expect(open.room).toBe('lobby');
    expect(open.flags).toContainEqual({
      id: flag_id,
      message_id: id,
      reason: 'insulting',
      created_at: expect.any(String),
    });
    expect(JSON.stringify(open)).not.toContain('flagger');

    m.send({ type: 'resolve_flag', id: flag_id, resolution: '  warned the author  ' });
    expect(await m.nextOfType('flag_resolved')).toEqual({
      type: 'flag_resolved',
      id: flag_id,
      message_id: id,
      room: 'lobby',
      resolution: 'warned the author',
    });
    m.send({ type: 'resolve_flag', id: flag_id, resolution: 'again' });
    expect(await m.nextOfType('error')).toMatchObject({ code: 'not_found', ref: 'resolve_flag' });
    m.send({ type: 'open_flags' });
    expect((await m.nextOfType('open_flags')).flags.some((f) => f.id === flag_id)).toBe(false);
    // the flagged author heard nothing of it
    await post(c, { type: 'chat_message', content: 'sentinel-resolve' });
    await b.next((f) => f.type === 'chat_message' && f.content === 'sentinel-resolve');
    expect(b.frames.some((f) => f.type === 'flag_resolved' || JSON.stringify(f).includes('insulting'))).toBe(false);

    const audit = await chatAdmin(server.baseUrl, 'GET', '/audit?limit=1');
    expect(audit.body.entries[0]).toMatchObject({
      actor_id: mod.id,
      action: 'resolve_flag',
      room: 'lobby',
      message_id: id,
      flag_id,
      detail: 'warned the author',
    });
  });
});

describe('moderation in a room other than lobby', () => {
  // every socket of the suite comes from 127.0.0.1: more handshakes a second than one address may make
  const server = useChatApp({
    users: 4,
    env: { CHAT_RATE_LIMIT: 'off', CHAT_HANDSHAKE_RATE_PER_IP: 'off', ADMIN_TOKEN: MODERATION_ADMIN_TOKEN },
  });
  let alice: TestUser, bob: TestUser, lobbyMod: TestUser, roomMod: TestUser;
  const room = `modroom-${process.pid}`;
  beforeAll(async () => {
    [alice, bob, lobbyMod, roomMod] = server.users;
    for (const [id, title, moderators] of [
      ['lobby', 'Lobby', [lobbyMod.id]],
      [room, 'Moderated', [roomMod.id]],
    ] as const) {
      const { status } = await adminCall(
        server.baseUrl,
        'PUT',
        `/api/admin/rooms/${id}`,
        { title, moderators },
        MODERATION_ADMIN_TOKEN,
      );
      expect([200, 201]).toContain(status);
    }
  });

  async function inRoom(user: TestUser): Promise<TestSocket> {
    const socket = await server.connect(user);
    socket.send({ type: 'join', room });
    await socket.nextOfType('joined');
    return socket;
  }

  it("the room's own moderators delete, mute and resolve flags there; lobby's moderators are refused", async () => {
    const [a, b, lm, rm] = await Promise.all([alice, bob, lobbyMod, roomMod].map(inRoom));
    const id = await post(a, { type: 'chat_message', room, content: 'off topic' });
    lm.send({ type: 'delete_message', id });
    expect(await lm.nextOfType('error')).toMatchObject({ code: 'forbidden', ref: 'delete_message' });
    rm.send({ type: 'delete_message', id });
    const tombstone = await rm.nextOfType('message_deleted');
    for (const socket of [a, b, lm]) expect(await socket.nextOfType('message_deleted')).toEqual(tombstone);

    lm.send({ type: 'mute', room, user_id: bob.id });
    expect(await lm.nextOfType('error')).toMatchObject({ code: 'forbidden', ref: 'mute' });
    rm.send({ type: 'mute', room, user_id: bob.id, duration_ms: 60_000 });
    expect(await b.nextOfType('muted')).toMatchObject({ room, user_id: bob.id });
    b.send({ type: 'chat_message', room, content: 'muted here', client_id: 'room-muted' });
    expect(await b.nextOfType('error')).toMatchObject({ code: 'forbidden', ref: 'room-muted' });
    await post(b, { type: 'chat_message', content: 'but not in lobby' });
    const late = await server.connect(bob);
    late.send({ type: 'join', room });
    await late.nextOfType('joined');
    expect(await late.nextOfType('muted')).toMatchObject({ room, user_id: bob.id, remaining_ms: expect.any(Number) });
    // joined first, then the notice
    expect(late.frames.findIndex((f) => f.type === 'joined')).toBeLessThan(
      late.frames.findIndex((f) => f.type === 'muted'),
    );
    await late.close();

    const flaggedId = await post(a, { type: 'chat_message', room, content: 'flag me' });
    b.send({ type: 'flag', id: flaggedId, reason: 'rude' });
    const { flag_id } = await b.nextOfType('flagged');
    lm.send({ type: 'open_flags', room });
    expect(await lm.nextOfType('error')).toMatchObject({ code: 'forbidden', ref: 'open_flags' });
    lm.send({ type: 'resolve_flag', id: flag_id, resolution: 'nope' });
    expect(await lm.nextOfType('error')).toMatchObject({ code: 'forbidden', ref: 'resolve_flag' });
    rm.send({ type: 'open_flags', room });
    expect((await rm.nextOfType('open_flags')).flags.map((f) => f.id)).toEqual([flag_id]);
    rm.send({ type: 'resolve_flag', id: flag_id, resolution: 'removed' });
    expect(await rm.nextOfType('flag_resolved')).toMatchObject({ id: flag_id, room });

    const audit = await chatAdmin(server.baseUrl, 'GET', '/audit?limit=3');
    expect(
      audit.body.entries.map((e: { action: string; room: string; actor_id: number }) => [e.action, e.room, e.actor_id]),
    ).toEqual([
      ['resolve_flag', room, roomMod.id],
      ['mute', room, roomMod.id],
      ['delete', room, roomMod.id],
    ]);
  });
});
