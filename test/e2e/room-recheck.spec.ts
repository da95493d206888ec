import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RoomFollowRecheck } from '../../src/chat/rooms/room-follow-recheck.js';
import { RoomStore } from '../../src/forum/rooms/room.store.js';
import { putRoom, TEST_ADMIN_TOKEN } from '../support/admin-client.js';
import { registerAndLogin } from '../support/http-client.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { TestSocket } from '../support/ws-client.js';

describe('the periodic re-check of followed rooms', () => {
  let server: TestApp;

  beforeAll(async () => {
    server = await startTestApp({ ADMIN_TOKEN: TEST_ADMIN_TOKEN, AUTH_REGISTER_RATE_PER_IP: 'off' });
  });
  afterAll(() => server.close());

  it('unfollows a member removed without an announcement, and keeps the ones who still read', async () => {
    const [alice, bob] = await Promise.all([registerAndLogin(server.baseUrl), registerAndLogin(server.baseUrl)]);
    const room = `quiet-${process.pid}`;
    await putRoom(server.baseUrl, room, { title: 'Quiet', members: [alice.id, bob.id] });
    const a = await TestSocket.connect(server.wsUrl, alice.cookie);
    const b = await TestSocket.connect(server.wsUrl, bob.cookie);
    for (const socket of [a, b]) socket.send({ type: 'join', room });
    await Promise.all([a.nextOfType('joined'), b.nextOfType('joined')]);
    // the forum's table changes behind the admin API: no access change is announced
    await server.app.get<RoomStore>(RoomStore).put({
      id: room,
      title: 'Quiet',
      members: [alice.id],
      moderators: [],
      readOnly: false,
    });
    expect(await server.app.get(RoomFollowRecheck).run()).toBe(1);
    expect(await b.nextOfType('left')).toEqual({ type: 'left', room, reason: 'access' });
    a.send({ type: 'chat_message', room, content: 'still here' });
    await a.next((f) => f.type === 'chat_message' && f.content === 'still here');
    a.send({ type: 'chat_message', content: 'sentinel' });
    await b.next((f) => f.type === 'chat_message' && f.content === 'sentinel');
    expect(b.frames.some((f) => f.type === 'chat_message' && f.content === 'still here')).toBe(false);
    expect(a.framesOfType('left')).toEqual([]);
    await Promise.all([a.close(), b.close()]);
  });
});
