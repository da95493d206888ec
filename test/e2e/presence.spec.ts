import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceChangeFrame } from '../../src/chat/protocol/frames.js';
import { login, postJson, registerAndLogin, TestUser } from '../support/http-client.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { TestSocket } from '../support/ws-client.js';
import { useChatApp } from '../support/chat-app.js';

const presenceOf = (socket: TestSocket, userId: number) =>
  socket.frames
    .filter(
      (f): f is PresenceChangeFrame => (f.type === 'user_joined' || f.type === 'user_left') && f.user_id === userId,
    )
    .map((f) => f.type);

describe('presence', () => {
  let server: TestApp;
  let watcherUser: TestUser;

  beforeAll(async () => {
    server = await startTestApp({ CHAT_PING_INTERVAL_MS: '100', CHAT_PONG_TIMEOUT_MS: '400' });
    watcherUser = await registerAndLogin(server.baseUrl);
  });
  afterAll(() => server.close());

  it('lists every online user exactly once in online_users, however many tabs they have', async () => {
    const user = await registerAndLogin(server.baseUrl);
    const tabs = await Promise.all([1, 2, 3].map(() => TestSocket.connect(server.wsUrl, user.cookie)));
    const watcher = await TestSocket.connect(server.wsUrl, watcherUser.cookie);
    const online = watcher.framesOfType('online_users')[0];
    expect(online.users.filter((u) => u.id === user.id)).toEqual([{ id: user.id, nickname: user.nickname }]);
    expect(new Set(online.users.map((u) => u.id)).size).toBe(online.users.length);
    await Promise.all([...tabs.map((t) => t.close()), watcher.close()]);
  });

  it('closing one of two tabs announces nothing; closing the last announces user_left once', async () => {
    const watcher = await TestSocket.connect(server.wsUrl, watcherUser.cookie);
    const user = await registerAndLogin(server.baseUrl);
    const tab1 = await TestSocket.connect(server.wsUrl, user.cookie);
    const tab2 = await TestSocket.connect(server.wsUrl, user.cookie);
    await tab1.close();
    tab2.send({ type: 'chat_message', content: `sentinel-${user.id}` });
    await watcher.next((f) => f.type === 'chat_message' && f.content === `sentinel-${user.id}`);
    expect(presenceOf(watcher, user.id)).toEqual(['user_joined']);
    await tab2.close();
    await watcher.next((f) => f.type === 'user_left' && f.user_id === user.id);
    expect(presenceOf(watcher, user.id)).toEqual(['user_joined', 'user_left']);
    await watcher.close();
  });

  it('leave takes a socket out of presence but it keeps receiving; join brings it back', async () => {
    const watcher = await TestSocket.connect(server.wsUrl, watcherUser.cookie);
    const user = await registerAndLogin(server.baseUrl);
    const socket = await TestSocket.connect(server.wsUrl, user.cookie);
    await watcher.next((f) => f.type === 'user_joined' && f.user_id === user.id);
    socket.send({ type: 'leave' });
    await watcher.next((f) => f.type === 'user_left' && f.user_id === user.id);
    watcher.send({ type: 'chat_message', content: 'while away' });
    await socket.next((f) => f.type === 'chat_message' && f.content === 'while away');
    socket.send({ type: 'leave' }); // a second leave changes nothing
    socket.send({ type: 'join' });
    const online = await socket.nextOfType('online_users');
    expect(online.users.map((u) => u.id)).toContain(user.id);
    await watcher.next((f) => f.type === 'user_joined' && f.user_id === user.id);
    socket.send({ type: 'join' }); // joining twice counts once
    await socket.nextOfType('online_users');
    await socket.close();
    await watcher.next((f) => f.type === 'user_left' && f.user_id === user.id);
    expect(presenceOf(watcher, user.id)).toEqual(['user_joined', 'user_left', 'user_joined', 'user_left']);
    await watcher.close();
  });

  it('terminates a socket that stops answering pings, and announces user_left', async () => {
    const watcher = await TestSocket.connect(server.wsUrl, watcherUser.cookie);
    const user = await registerAndLogin(server.baseUrl);
    const silent = await TestSocket.connect(server.wsUrl, user.cookie);
    const alive = await TestSocket.connect(server.wsUrl, (await registerAndLogin(server.baseUrl)).cookie);
    (silent.ws as unknown as { _socket: Socket })._socket.pause();
    const started = Date.now();
    await watcher.next((f) => f.type === 'user_left' && f.user_id === user.id, 3000);
    expect(Date.now() - started).toBeLessThan(2000);
    // a client that answers pings is still connected after several ping intervals
    alive.send({ type: 'chat_message', content: 'alive' });
    await alive.next((f) => f.type === 'chat_message' && f.content === 'alive');
    await Promise.all([alive.close(), watcher.close()]);
  });
});

describe('sessions ending by logout', () => {
  const server = useChatApp();

  it('logout closes every socket of that session with 4401 within 1 s, and no other', async () => {
    const user = await registerAndLogin(server.baseUrl);
    const other = await registerAndLogin(server.baseUrl);
    const secondSession = await login(server.baseUrl, user.nickname, user.password);
    const sameUserOtherSession = await TestSocket.connect(server.wsUrl, secondSession.cookie);
    const tabs = await Promise.all([
      TestSocket.connect(server.wsUrl, user.cookie),
      TestSocket.connect(server.wsUrl, user.cookie),
    ]);
    const bystander = await TestSocket.connect(server.wsUrl, other.cookie);
    const started = Date.now();
    const response = await postJson(server.baseUrl, '/api/auth/logout', undefined, { cookie: user.cookie });
    expect(response.status).toBe(204);
    const closes = await Promise.all(tabs.map((t) => t.closed));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(closes.map((c) => c.code)).toEqual([4401, 4401]);
    bystander.send({ type: 'chat_message', content: 'still open' });
    await bystander.next((f) => f.type === 'chat_message' && f.content === 'still open');
    await sameUserOtherSession.next((f) => f.type === 'chat_message' && f.content === 'still open');
    await Promise.all([bystander.close(), sameUserOtherSession.close()]);
  });
});

describe('sessions ending by expiry (SESSION_TTL_SECONDS=2)', () => {
  const server = useChatApp({ env: { SESSION_TTL_SECONDS: '2' } });

  it('an expired session closes its sockets with 4401', async () => {
    const user = await registerAndLogin(server.baseUrl);
    const socket = await TestSocket.connect(server.wsUrl, user.cookie);
    const closed = await socket.closed;
    expect(closed.code).toBe(4401);
  });
});
