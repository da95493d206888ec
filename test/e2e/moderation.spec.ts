import { beforeAll, describe, expect, it } from 'vitest';
import type { AckFrame, ErrorFrame } from '../../src/chat/protocol/frames.js';
import { chatAdmin, MODERATION_ADMIN_TOKEN } from '../support/chat-admin.js';
import { registerAndLogin, TestUser } from '../support/http-client.js';
import { useChatApp } from '../support/chat-app.js';

describe('mutes, flags and the audit log', () => {
  const server = useChatApp({ users: 3, env: { CHAT_RATE_LIMIT: 'off', ADMIN_TOKEN: MODERATION_ADMIN_TOKEN } });
  let alice: TestUser, bob: TestUser, carol: TestUser;
  beforeAll(() => void ([alice, bob, carol] = server.users));

  const connect = (user: TestUser) => server.connect(user);

  it('a muted user’s room posts and edits are refused with forbidden and the time left, on every socket, until lifted', async () => {
    const [b1, b2, c] = await Promise.all([connect(bob), connect(bob), connect(carol)]);
    b1.send({ type: 'chat_message', content: 'before the mute', client_id: 'm0' });
    const { id } = (await b1.next((f) => f.type === 'ack' && f.client_id === 'm0')) as AckFrame;

    const muted = await chatAdmin(server.baseUrl, 'PUT', `/mutes/lobby/${bob.id}`, { duration_ms: 600_000 });
    expect(muted.status).toBe(200);
    expect(muted.body).toMatchObject({ room: 'lobby', user_id: bob.id, muted_by: 0 });
    for (const [socket, frame] of [
      [b1, { type: 'chat_message', content: 'am I muted?', client_id: 'm1' }],
      [b2, { type: 'edit_message', id, content: 'sneaky edit', client_id: 'm2' }],
    ] as const) {
      socket.send(frame);
      const error = (await socket.nextOfType('error')) as ErrorFrame;
      expect(error).toMatchObject({ code: 'forbidden', ref: frame.client_id });
      expect(error.retry_after_ms).toBeGreaterThan(590_000);
      expect(error.retry_after_ms).toBeLessThanOrEqual(600_000);
    }
    // private messages are not a room: still allowed
    b1.send({ type: 'private_message', to: carol.id, content: 'psst', client_id: 'm3' });
    await b1.next((f) => f.type === 'ack' && f.client_id === 'm3');
    c.send({ type: 'chat_message', content: 'sentinel-mute' });
    await b2.next((f) => f.type === 'chat_message' && f.content === 'sentinel-mute');
    expect(c.frames.some((f) => f.type === 'chat_message' && f.content === 'am I muted?')).toBe(false);

    const list = await chatAdmin(server.baseUrl, 'GET', '/mutes');
    expect(list.body.mutes).toEqual([expect.objectContaining({ room: 'lobby', user_id: bob.id })]);
    expect((await chatAdmin(server.baseUrl, 'DELETE', `/mutes/lobby/${bob.id}`)).status).toBe(204);
    expect((await chatAdmin(server.baseUrl, 'DELETE', `/mutes/lobby/${bob.id}`)).status).toBe(404);
    expect((await chatAdmin(server.baseUrl, 'GET', '/mutes')).body.mutes).toEqual([]);
    b2.send({ type: 'chat_message', content: 'free again', client_id: 'm4' });
    await b2.next((f) => f.type === 'ack' && f.client_id === 'm4');

    const audit = await chatAdmin(server.baseUrl, 'GET', '/audit?limit=2');
    expect(
      audit.body.entries.map((e: { action: string; target_user_id: number }) => [e.action, e.target_user_id]),
    ).toEqual([
      ['unmute', bob.id],
      ['mute', bob.id],
    ]);
    await Promise.all([b1, b2, c].map((s) => s.close()));
  });

  it('a timed mute that runs out sends unmuted to every socket of the user, once, and the user may post again', async () => {
    const [b1, b2, b3, c] = await Promise.all([connect(bob), connect(bob), connect(bob), connect(carol)]);
    const muted = await chatAdmin(server.baseUrl, 'PUT', `/mutes/lobby/${bob.id}`, { duration_ms: 1_000 });
    expect(muted.status).toBe(200);
    for (const socket of [b1, b2, b3]) {
      expect(await socket.nextOfType('muted')).toMatchObject({ room: 'lobby', user_id: bob.id });
    }
    for (const socket of [b1, b2, b3]) {
      expect(await socket.nextOfType('unmuted')).toEqual({ type: 'unmuted', room: 'lobby', user_id: bob.id });
    }
    b2.send({ type: 'chat_message', content: 'spoken again', client_id: 'x1' });
    await b2.next((f) => f.type === 'ack' && f.client_id === 'x1');
    c.send({ type: 'chat_message', content: 'sentinel-expiry' });
    for (const socket of [b1, b2, b3]) {
      await socket.next((f) => f.type === 'chat_message' && f.content === 'sentinel-expiry');
      expect(socket.frames.filter((f) => f.type === 'unmuted')).toHaveLength(1);
    }
    expect(c.frames.some((f) => f.type === 'muted' || f.type === 'unmuted')).toBe(false);
    expect((await chatAdmin(server.baseUrl, 'GET', '/mutes')).body.mutes).toEqual([]);
    await Promise.all([b1, b2, b3, c].map((s) => s.close()));
  });

  it('a mute until lifted says so; the admin API refuses bad input and a missing token', async () => {
    expect((await chatAdmin(server.baseUrl, 'PUT', `/mutes/lobby/${carol.id}`, {})).body.until).toBeNull();
    const c = await connect(carol);
    c.send({ type: 'chat_message', content: 'hello?' });
    const error = (await c.nextOfType('error')) as ErrorFrame;
    expect(error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('until a moderator lifts it') });
    expect(error.retry_after_ms).toBeUndefined();
    expect((await chatAdmin(server.baseUrl, 'DELETE', `/mutes/lobby/${carol.id}`)).status).toBe(204);
    expect((await chatAdmin(server.baseUrl, 'PUT', `/mutes/Bad Room/${carol.id}`, {})).status).toBe(400);
    expect((await chatAdmin(server.baseUrl, 'PUT', `/mutes/lobby/x`, {})).status).toBe(400);
    expect((await chatAdmin(server.baseUrl, 'PUT', `/mutes/lobby/${carol.id}`, { duration_ms: 5 })).status).toBe(400);
    expect((await chatAdmin(server.baseUrl, 'GET', '/mutes', undefined, 'wrong-token')).status).toBe(401);
    await c.close();
  });

  it('flags a room message once per user; open flags are listed and resolved once; nothing names the flagger to anyone else', async () => {
    const [a, b, c] = await Promise.all([connect(alice), connect(bob), connect(carol)]);
    a.send({ type: 'chat_message', content: 'bad words', client_id: 'f0' });
    const { id } = (await a.next((f) => f.type === 'ack' && f.client_id === 'f0')) as AckFrame;
    b.send({ type: 'flag', id, reason: '  rude  ' });
    const flagged = await b.nextOfType('flagged');
    expect(flagged).toEqual({ type: 'flagged', flag_id: expect.any(Number), message_id: id });
    b.send({ type: 'flag', id, reason: 'still rude' });
    expect(await b.nextOfType('flagged')).toEqual(flagged);
    c.send({ type: 'flag', id, reason: 'spam' });
    await c.nextOfType('flagged');
    const secret = await registerAndLogin(server.baseUrl);
    a.send({ type: 'private_message', to: secret.id, content: 'private', client_id: 'f1' });
    const privateAck = (await a.next((f) => f.type === 'ack' && f.client_id === 'f1')) as AckFrame;
    c.send({ type: 'flag', id: privateAck.id, reason: 'cannot see it' });
    expect(await c.nextOfType('error')).toMatchObject({ code: 'not_found', ref: 'flag' });
    // sentinel: the author hears nothing of the flags
    c.send({ type: 'chat_message', content: 'sentinel-flag' });
    await a.next((f) => f.type === 'chat_message' && f.content === 'sentinel-flag');
    expect(a.frames.some((f) => f.type === 'flagged' || JSON.stringify(f).includes('rude'))).toBe(false);

    const open = await chatAdmin(server.baseUrl, 'GET', '/flags?room=lobby');
    expect(open.body.flags.map((f: { message_id: number; reason: string }) => [f.message_id, f.reason])).toEqual([
      [id, 'rude'],
      [id, 'spam'],
    ]);
    const resolved = await chatAdmin(server.baseUrl, 'POST', `/flags/${flagged.flag_id}/resolve`, {
      resolution: 'warned',
    });
    expect(resolved).toMatchObject({ status: 200, body: { id: flagged.flag_id, resolution: 'warned' } });
    expect(
      (await chatAdmin(server.baseUrl, 'POST', `/flags/${flagged.flag_id}/resolve`, { resolution: 'x' })).status,
    ).toBe(404);
    expect((await chatAdmin(server.baseUrl, 'GET', '/flags')).body.flags).toHaveLength(1);
    const audit = await chatAdmin(server.baseUrl, 'GET', '/audit?limit=1');
    expect(audit.body.entries[0]).toMatchObject({
      action: 'resolve_flag',
      flag_id: flagged.flag_id,
      message_id: id,
      detail: 'warned',
    });
    await Promise.all([a, b, c].map((s) => s.close()));
  });
});
