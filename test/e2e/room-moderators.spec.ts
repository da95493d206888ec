import { beforeAll, describe, expect, it } from 'vitest';
import type { AckFrame, MessageDeletedFrame } from '../../src/chat/protocol/frames.js';
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
  const server = useChatApp({ users: 4, env: { CHAT_RATE_LIMIT: 'off', ADMIN_TOKEN: MODERATION_ADMIN_TOKEN } });
  let alice: TestUser, bob: TestUser, carol: TestUser, mod: TestUser;
  beforeAll(() => void ([alice, bob, carol, mod] = server.users));

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
    const [a, b, c, m] = await Promise.all([alice, bob, carol, mod].map((u) => server.connect(u)));
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
    const [a, b, c] = await Promise.all([alice, bob, carol].map((u) => server.connect(u)));
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
    const m = await server.connect(mod);
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
    const [a, c] = await Promise.all([alice, carol].map((u) => server.connect(u)));
    const first = await post(a, { type: 'chat_message', content: 'first' });
    const second = await post(a, { type: 'chat_message', content: 'second' });
    c.send({ type: 'delete_message', id: first });
    expect((await c.nextOfType('message_deleted')).id).toBe(first);
    await lobbyModerators(mod.id);
    c.send({ type: 'delete_message', id: second });
    expect(await c.nextOfType('error')).toMatchObject({ code: 'forbidden', ref: 'delete_message' });
  });

  it('the administration deletes any message over the admin API, audited as the admin (actor 0)', async () => {
    const [a, b] = await Promise.all([alice, bob].map((u) => server.connect(u)));
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
});
