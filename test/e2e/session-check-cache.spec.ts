import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionKeyOf } from '../../src/forum/sessions/session-token.js';
import { tryHandshake } from '../support/handshake.js';
import { postJson, registerAndLogin } from '../support/http-client.js';
import { startTestApp, TestApp } from '../support/test-app.js';

/** Opens and closes one socket with `cookie`; answers the upgrade's status. */
async function handshakeStatus(wsUrl: string, cookie: string): Promise<number> {
  const outcome = await tryHandshake(wsUrl, { cookie });
  outcome.ws?.terminate();
  return outcome.status;
}

describe('reused session checks never let a revoked session in', () => {
  let server: TestApp;
  let db: Database.Database;

  beforeAll(async () => {
    server = await startTestApp({ CHAT_HANDSHAKE_RATE_PER_IP: 'off', CHAT_MAX_SOCKETS_PER_USER: '100' });
    // a second connection to the same database, as another instance sharing it would hold
    db = new Database(join(server.dataDir, 'chat.db'));
  });
  afterAll(async () => {
    db.close();
    await server.close();
  });

  it('logout: once it answered, the next handshake with the session is refused', async () => {
    const alice = await registerAndLogin(server.baseUrl);
    expect(await handshakeStatus(server.wsUrl, alice.cookie)).toBe(101);
    expect(await handshakeStatus(server.wsUrl, alice.cookie)).toBe(101); // the check is cached now
    expect((await postJson(server.baseUrl, '/api/auth/logout', undefined, { cookie: alice.cookie })).status).toBe(204);
    expect(await handshakeStatus(server.wsUrl, alice.cookie)).toBe(401);
  });

  it('a revocation stored behind its back (another instance) refuses the very next handshake', async () => {
    const bob = await registerAndLogin(server.baseUrl);
    expect(await handshakeStatus(server.wsUrl, bob.cookie)).toBe(101);
    expect(await handshakeStatus(server.wsUrl, bob.cookie)).toBe(101);
    const changed = db
      .prepare('UPDATE forum_sessions SET revoked_at = ? WHERE key = ?')
      .run(Date.now(), sessionKeyOf(bob.token)).changes;
    expect(changed).toBe(1);
    expect(await handshakeStatus(server.wsUrl, bob.cookie)).toBe(401);
    const me = await fetch(`${server.baseUrl}/api/auth/me`, { headers: { cookie: bob.cookie } });
    expect(me.status).toBe(401);
  });

  it('handshakes racing a logout: every one that starts after the logout answered is refused', async () => {
    const carol = await registerAndLogin(server.baseUrl);
    expect(await handshakeStatus(server.wsUrl, carol.cookie)).toBe(101);
    const racing = Array.from({ length: 20 }, () => handshakeStatus(server.wsUrl, carol.cookie));
    const logout = await postJson(server.baseUrl, '/api/auth/logout', undefined, { cookie: carol.cookie });
    expect(logout.status).toBe(204);
    const after = await Promise.all(Array.from({ length: 20 }, () => handshakeStatus(server.wsUrl, carol.cookie)));
    expect(after).toEqual(after.map(() => 401));
    for (const status of await Promise.all(racing)) expect([101, 401]).toContain(status);
  });
});
