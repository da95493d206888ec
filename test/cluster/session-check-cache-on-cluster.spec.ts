import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sessionKeyOf } from '../../src/forum/sessions/session-token.js';
import { startCluster, TestCluster } from '../support/cluster.js';
import { tryHandshake } from '../support/handshake.js';
import { login, postJson, registerAndLogin } from '../support/http-client.js';
import { describeWithServices, requireClusterServices, TEST_POSTGRES_URL } from '../support/services.js';

const services = await requireClusterServices();

/** Opens and closes one socket with `cookie`; answers the upgrade's status. */
async function handshakeStatus(wsUrl: string, cookie: string): Promise<number> {
  const outcome = await tryHandshake(wsUrl, { cookie });
  outcome.ws?.terminate();
  return outcome.status;
}

describeWithServices(services, 'reused session checks across instances never let a revoked session in', () => {
  let cluster: TestCluster;
  let db: pg.Client;

  beforeAll(async () => {
    cluster = await startCluster(2);
    db = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await db.connect();
  }, 90_000);

  afterAll(async () => {
    await db?.end();
    await cluster?.close();
  }, 30_000);

  it('logout on one instance: the next handshake on the other is refused at once', async () => {
    const [revoking, other] = cluster.nodes;
    const alice = await registerAndLogin(revoking.baseUrl);
    expect(await handshakeStatus(other.wsUrl, alice.cookie)).toBe(101);
    expect(await handshakeStatus(other.wsUrl, alice.cookie)).toBe(101); // cached on the other instance now
    const logout = await postJson(revoking.baseUrl, '/api/auth/logout', undefined, { cookie: alice.cookie });
    expect(logout.status).toBe(204);
    expect(await handshakeStatus(other.wsUrl, alice.cookie)).toBe(401);
    expect(await handshakeStatus(revoking.wsUrl, alice.cookie)).toBe(401);
  });

  it('a revocation no instance announced (stored straight in the database) refuses the next handshake everywhere', async () => {
    const [first, second] = cluster.nodes;
    const bob = await registerAndLogin(first.baseUrl);
    const bobElsewhere = await login(second.baseUrl, bob.nickname, bob.password);
    for (const node of cluster.nodes) {
      expect(await handshakeStatus(node.wsUrl, bob.cookie)).toBe(101);
      expect(await handshakeStatus(node.wsUrl, bob.cookie)).toBe(101);
    }
    const revoked = await db.query(`UPDATE "${cluster.namespace}".forum_sessions SET revoked_at = $1 WHERE key = $2`, [
      Date.now(),
      sessionKeyOf(bob.token),
    ]);
    expect(revoked.rowCount).toBe(1);
    for (const node of cluster.nodes) expect(await handshakeStatus(node.wsUrl, bob.cookie)).toBe(401);
    // the user's other session is untouched
    expect(await handshakeStatus(second.wsUrl, bobElsewhere.cookie)).toBe(101);
  });
});
