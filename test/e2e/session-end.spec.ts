import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, postJson, registerAndLogin, TestUser, uniqueNickname } from '../support/http-client.js';
import { tryHandshake } from '../support/handshake.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { TestSocket } from '../support/ws-client.js';
import { useChatApp } from '../support/chat-app.js';

const PING_INTERVAL_MS = 200;

describe('session expiry while sockets are open (SESSION_TTL_SECONDS=2)', () => {
  const server = useChatApp({
    env: {
      SESSION_TTL_SECONDS: '2',
      CHAT_PING_INTERVAL_MS: String(PING_INTERVAL_MS),
      CHAT_PONG_TIMEOUT_MS: '2000',
    },
  });

  it('closes every socket of the session with 4401 within one ping interval of the expiry', async () => {
    const nickname = uniqueNickname('ttl');
    expect(
      (await postJson(server.baseUrl, '/api/auth/register', { nickname, password: 'correct horse battery' })).status,
    ).toBe(201);
    const before = Date.now();
    const alice = await login(server.baseUrl, nickname, 'correct horse battery');
    const after = Date.now();
    // the session expires at some instant in [before + 2 s, after + 2 s]
    const tabs = await Promise.all([
      TestSocket.connect(server.wsUrl, alice.cookie),
      TestSocket.connect(server.wsUrl, alice.cookie),
    ]);
    const closes = await Promise.all(tabs.map((tab) => tab.closed));
    const closedAt = Date.now();
    expect(closes.map((c) => c.code)).toEqual([4401, 4401]);
    expect(closedAt).toBeGreaterThanOrEqual(before + 2000);
    expect(closedAt).toBeLessThanOrEqual(after + 2000 + PING_INTERVAL_MS + 100);
    expect((await tryHandshake(server.wsUrl, { cookie: alice.cookie })).status).toBe(401);
  });
});

describe('revocation', () => {
  const ADMIN_TOKEN = 'a'.repeat(16) + 'b'.repeat(16) + 'c'.repeat(8);
  const server = useChatApp({ users: 2, env: { ADMIN_TOKEN } });
  let alice: TestUser, bob: TestUser;
  beforeAll(() => void ([alice, bob] = server.users));

  it('logout closes the sockets of that session with 4401 within 1 s, and only those', async () => {
    const other = await login(server.baseUrl, alice.nickname, alice.password);
    const [a1, a2, keep] = await Promise.all([
      TestSocket.connect(server.wsUrl, alice.cookie),
      TestSocket.connect(server.wsUrl, alice.cookie),
      TestSocket.connect(server.wsUrl, other.cookie),
    ]);
    const started = Date.now();
    expect((await postJson(server.baseUrl, '/api/auth/logout', undefined, { cookie: alice.cookie })).status).toBe(204);
    expect((await a1.closed).code).toBe(4401);
    expect((await a2.closed).code).toBe(4401);
    expect(Date.now() - started).toBeLessThan(1000);
    keep.send({ type: 'chat_message', content: 'still here', client_id: 'keep' });
    await keep.next((f) => f.type === 'ack' && f.client_id === 'keep');
    alice = other;
    await keep.close();
  });

  it('admin revoke-all closes every socket of every session of the user with 4401; others are untouched', async () => {
    const second = await login(server.baseUrl, alice.nickname, alice.password);
    const [a1, a2, b] = await Promise.all([
      TestSocket.connect(server.wsUrl, alice.cookie),
      TestSocket.connect(server.wsUrl, second.cookie),
      TestSocket.connect(server.wsUrl, bob.cookie),
    ]);
    const revoked = await postJson(server.baseUrl, `/api/admin/users/${alice.id}/revoke-sessions`, undefined, {
      'x-admin-token': ADMIN_TOKEN,
    });
    expect(revoked).toMatchObject({ status: 200, body: { revoked: 2 } });
    expect([(await a1.closed).code, (await a2.closed).code]).toEqual([4401, 4401]);
    for (const cookie of [alice.cookie, second.cookie])
      expect((await tryHandshake(server.wsUrl, { cookie })).status).toBe(401);
    b.send({ type: 'chat_message', content: 'bob carries on', client_id: 'bob' });
    await b.next((f) => f.type === 'ack' && f.client_id === 'bob');
    expect(b.ws.readyState).toBe(b.ws.OPEN);
    await b.close();
  });

  it('refuses a missing or wrong admin token (401) and a malformed user id (400)', async () => {
    const path = `/api/admin/users/${bob.id}/revoke-sessions`;
    expect((await postJson(server.baseUrl, path, undefined)).status).toBe(401);
    expect(
      (await postJson(server.baseUrl, path, undefined, { 'x-admin-token': ADMIN_TOKEN.slice(1) + 'x' })).status,
    ).toBe(401);
    for (const id of ['abc', '-5', '0', '007', '1e3', '99999999999999999999']) {
      const answer = await postJson(server.baseUrl, `/api/admin/users/${id}/revoke-sessions`, undefined, {
        'x-admin-token': ADMIN_TOKEN,
      });
      expect({ id, status: answer.status, message: answer.body.message }).toEqual({
        id,
        status: 400,
        message: 'the id must be a positive integer',
      });
    }
    const stillValid = await tryHandshake(server.wsUrl, { cookie: bob.cookie });
    expect(stillValid.status).toBe(101);
    stillValid.ws?.terminate();
  });

  it('without ADMIN_TOKEN the admin endpoints do not exist (404)', async () => {
    const plain = await startTestApp();
    try {
      const user = await registerAndLogin(plain.baseUrl);
      const answer = await postJson(plain.baseUrl, `/api/admin/users/${user.id}/revoke-sessions`, undefined, {
        'x-admin-token': ADMIN_TOKEN,
      });
      expect(answer.status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
