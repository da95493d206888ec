import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionKeyOf } from '../../src/forum/sessions/session-token.js';
import { postJson, registerAndLogin } from '../support/http-client.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { TestSocket } from '../support/ws-client.js';

/** The contract's bound between a revocation and the 4401 on every socket of the session. */
const REVOCATION_BOUND_MS = 1_000;

describe('a revocation is stored before it is announced, and re-checked', () => {
  let server: TestApp;
  let db: Database.Database;

  beforeAll(async () => {
    server = await startTestApp();
    // a second connection to the same database, as another instance sharing it would hold
    db = new Database(join(server.dataDir, 'chat.db'));
  });
  afterAll(async () => {
    db.close();
    await server.close();
  });

  it('closes a socket with 4401 within 1 s when its session is revoked in the store behind its back', async () => {
    const alice = await registerAndLogin(server.baseUrl);
    const socket = await TestSocket.connect(server.wsUrl, alice.cookie);
    const revokedAt = Date.now();
    const changed = db
      .prepare('UPDATE forum_sessions SET revoked_at = ? WHERE key = ?')
      .run(revokedAt, sessionKeyOf(alice.token)).changes;
    expect(changed).toBe(1);
    const close = await socket.closed;
    expect(close.code).toBe(4401);
    expect(Date.now() - revokedAt).toBeLessThanOrEqual(REVOCATION_BOUND_MS);
  });

  it('answers logout with 503 and keeps the session valid when the revocation cannot be stored', async () => {
    const bob = await registerAndLogin(server.baseUrl);
    const socket = await TestSocket.connect(server.wsUrl, bob.cookie);
    db.exec('BEGIN EXCLUSIVE'); // another writer holds the database past the busy timeout
    let logout;
    try {
      logout = await postJson(server.baseUrl, '/api/auth/logout', undefined, { cookie: bob.cookie });
    } finally {
      db.exec('ROLLBACK');
    }
    expect(logout).toMatchObject({
      status: 503,
      body: { statusCode: 503, message: 'the session could not be ended; try again' },
    });
    const me = await fetch(`${server.baseUrl}/api/auth/me`, { headers: { cookie: bob.cookie } });
    expect(me.status).toBe(200);
    socket.send({ type: 'history', limit: 1 });
    expect(await socket.nextOfType('history')).toMatchObject({ type: 'history' });
    // once the store takes it, the same logout succeeds and ends the socket
    expect((await postJson(server.baseUrl, '/api/auth/logout', undefined, { cookie: bob.cookie })).status).toBe(204);
    expect((await socket.closed).code).toBe(4401);
  }, 20_000);
});
