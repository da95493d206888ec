import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatRoomPolicy } from '../../src/chat/rooms/chat-room.policy.js';
import { adminCall, putRoom, TEST_ADMIN_TOKEN } from '../support/admin-client.js';
import { registerAndLogin } from '../support/http-client.js';
import { startTestApp, TestApp } from '../support/test-app.js';

let roomCounter = 0;
const uniqueRoom = (prefix: string) => `${prefix}-${process.pid}-${++roomCounter}`;

describe("the stand-in forum's rooms, as the chat's room policy answers them", () => {
  let server: TestApp;
  let policy: ChatRoomPolicy;

  beforeAll(async () => {
    server = await startTestApp({ ADMIN_TOKEN: TEST_ADMIN_TOKEN, AUTH_REGISTER_RATE_PER_IP: 'off' });
    policy = server.app.get<ChatRoomPolicy>(ChatRoomPolicy);
  });
  afterAll(() => server.close());

  it('answers lobby for everyone, a private room for its members and moderators only, a read-only room to moderators', async () => {
    const alice = await registerAndLogin(server.baseUrl);
    const bob = await registerAndLogin(server.baseUrl);
    const mod = await registerAndLogin(server.baseUrl);
    const staff = uniqueRoom('staff');
    const news = uniqueRoom('news');
    await putRoom(server.baseUrl, staff, { title: 'Staff', members: [alice.id], moderators: [mod.id] });
    await putRoom(server.baseUrl, news, { title: 'News', moderators: [mod.id], read_only: true });
    expect(await policy.access(bob.id, 'lobby')).toEqual({
      room: { id: 'lobby', title: 'Lobby' },
      post: true,
      moderate: false,
    });
    expect(await policy.access(alice.id, staff)).toEqual({
      room: { id: staff, title: 'Staff' },
      post: true,
      moderate: false,
    });
    expect(await policy.access(mod.id, staff)).toMatchObject({ post: true, moderate: true });
    // a room bob may not read answers exactly like one that does not exist
    expect(await policy.access(bob.id, staff)).toBeNull();
    expect(await policy.access(bob.id, uniqueRoom('nothing'))).toBeNull();
    expect(await policy.access(bob.id, news)).toMatchObject({ post: false, moderate: false });
    expect(await policy.access(mod.id, news)).toMatchObject({ post: true, moderate: true });
    const bobs = (await policy.roomsFor(bob.id)).map((access) => access.room.id);
    expect(bobs).toContain('lobby');
    expect(bobs).toContain(news);
    expect(bobs).not.toContain(staff);
    // removing a member takes effect at the next answer
    await putRoom(server.baseUrl, staff, { title: 'Staff', members: [], moderators: [mod.id] });
    expect(await policy.access(alice.id, staff)).toBeNull();
    expect((await adminCall(server.baseUrl, 'DELETE', `/api/admin/rooms/${staff}`)).status).toBe(204);
    expect(await policy.access(mod.id, staff)).toBeNull();
  });

  it('validates rooms over the admin API and keeps lobby public', async () => {
    const room = uniqueRoom('admin');
    expect((await adminCall(server.baseUrl, 'PUT', '/api/admin/rooms/Bad!', { title: 'x' })).status).toBe(400);
    expect((await adminCall(server.baseUrl, 'PUT', `/api/admin/rooms/${room}`, { title: '' })).status).toBe(400);
    expect(
      (await adminCall(server.baseUrl, 'PUT', '/api/admin/rooms/lobby', { title: 'L', members: [1] })).status,
    ).toBe(400);
    expect((await adminCall(server.baseUrl, 'DELETE', '/api/admin/rooms/lobby')).status).toBe(409);
    expect((await adminCall(server.baseUrl, 'PUT', `/api/admin/rooms/${room}`, { title: 'T' }, 'wrong')).status).toBe(
      401,
    );
    const created = await adminCall(server.baseUrl, 'PUT', `/api/admin/rooms/${room}`, { title: 'T', members: [3, 2] });
    expect(created).toEqual({
      status: 201,
      body: { id: room, title: 'T', members: [2, 3], moderators: [], readOnly: false },
    });
    expect((await adminCall(server.baseUrl, 'PUT', `/api/admin/rooms/${room}`, { title: 'T2' })).status).toBe(200);
    expect((await adminCall(server.baseUrl, 'GET', `/api/admin/rooms/${room}`)).body).toMatchObject({ members: null });
    expect((await adminCall(server.baseUrl, 'DELETE', `/api/admin/rooms/${room}`)).status).toBe(204);
    expect((await adminCall(server.baseUrl, 'DELETE', `/api/admin/rooms/${room}`)).status).toBe(404);
  });
});
