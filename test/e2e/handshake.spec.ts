import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionRegistry } from '../../src/chat/transport/connection.registry.js';
import { postJson, registerAndLogin, TestUser } from '../support/http-client.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { TestSocket } from '../support/ws-client.js';
import { useChatApp } from '../support/chat-app.js';

/** Opens a socket expecting a refusal; resolves the HTTP status. */
async function refusedStatus(url: string, options: Parameters<typeof TestSocket.open>[1]): Promise<number> {
  try {
    const socket = await TestSocket.open(url, options);
    await socket.close();
    return 101;
  } catch (error) {
    return (error as { status?: number }).status ?? -1;
  }
}

describe('handshake: the session is checked before any socket exists', () => {
  let server: TestApp;
  let alice: TestUser;
  let watcher: TestSocket;
  let bob: TestUser;

  beforeAll(async () => {
    server = await startTestApp({ CHAT_ALLOWED_ORIGINS: 'https://forum.example' });
    alice = await registerAndLogin(server.baseUrl);
    bob = await registerAndLogin(server.baseUrl);
    watcher = await TestSocket.connect(server.wsUrl, bob.cookie);
  });
  afterAll(async () => {
    await watcher.close();
    await server.close();
  });

  it('refuses no session, an unknown session and a malformed one with 401, and runs no gateway hook', async () => {
    const registry = server.app.get(ConnectionRegistry, { strict: false });
    const before = registry.size;
    expect(await refusedStatus(server.wsUrl, {})).toBe(401);
    expect(await refusedStatus(server.wsUrl, { cookie: 'session_id=' + 'A'.repeat(43) })).toBe(401);
    expect(await refusedStatus(server.wsUrl, { cookie: 'session_id=not-a-token' })).toBe(401);
    expect(await refusedStatus(server.wsUrl, { headers: { authorization: 'Bearer ' + 'B'.repeat(43) } })).toBe(401);
    expect(registry.size).toBe(before);
    // no presence change reached anyone: a sentinel sent now arrives with nothing before it
    watcher.send({ type: 'chat_message', content: 'sentinel-401' });
    await watcher.next((f) => f.type === 'chat_message' && f.content === 'sentinel-401');
    expect(watcher.framesOfType('user_joined').filter((f) => f.user_id !== bob.id)).toEqual([]);
  });

  it('refuses a revoked (logged out) session with 401', async () => {
    const carol = await registerAndLogin(server.baseUrl);
    const logout = await postJson(server.baseUrl, '/api/auth/logout', undefined, { cookie: carol.cookie });
    expect(logout.status).toBe(204);
    expect(await refusedStatus(server.wsUrl, { cookie: carol.cookie })).toBe(401);
  });

  it('refuses a foreign Origin with 403 even with a valid session, and accepts an allowed one', async () => {
    expect(
      await refusedStatus(server.wsUrl, { cookie: alice.cookie, headers: { origin: 'https://evil.example' } }),
    ).toBe(403);
    expect(watcher.framesOfType('user_joined').some((f) => f.user_id === alice.id)).toBe(false);
    const ok = await TestSocket.open(server.wsUrl, {
      cookie: alice.cookie,
      headers: { origin: 'https://forum.example' },
    });
    await ok.nextOfType('online_users');
    await ok.close();
  });

  it('accepts the session as a Bearer token', async () => {
    const socket = await TestSocket.open(server.wsUrl, { headers: { authorization: `Bearer ${alice.token}` } });
    const online = await socket.nextOfType('online_users');
    expect(online.users.map((u) => u.id)).toContain(alice.id);
    await socket.close();
  });
});

describe('handshake without CHAT_ALLOWED_ORIGINS', () => {
  const server = useChatApp({ users: 1 });
  let alice: TestUser;
  beforeAll(() => void ([alice] = server.users));

  it('allows only the request host as Origin', async () => {
    expect(
      await refusedStatus(server.wsUrl, { cookie: alice.cookie, headers: { origin: 'http://other.example' } }),
    ).toBe(403);
    const socket = await TestSocket.open(server.wsUrl, {
      cookie: alice.cookie,
      headers: { origin: `http://127.0.0.1:${server.port}` },
    });
    await socket.nextOfType('online_users');
    await socket.close();
  });
});
