import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCluster, TestCluster, type ClusterNode } from '../support/cluster.js';
import { login, postJson, registerAndLogin } from '../support/http-client.js';
import { MetricsScrape } from '../support/metrics-scrape.js';
import { describeWithServices, requireClusterServices, TEST_REDIS_URL } from '../support/services.js';
import { TestSocket } from '../support/ws-client.js';

const services = await requireClusterServices();

/** The contract's bound between a revocation's success answer and the 4401 on every instance. */
const REVOCATION_BOUND_MS = 1_000;
const ADMIN_TOKEN = 'admin-token-for-the-revocation-test-0123456789';

/**
 * Cuts every Redis connection of `node` (`CLIENT KILL`) again and again until `stop()`:
 * the node's connections come back within ~100 ms each time and are cut again, so
 * whatever it publishes meanwhile is refused.
 */
function cutRedisOf(
  redis: Redis,
  redisPrefix: string,
  node: ClusterNode,
): { firstCut: Promise<void>; stop(): Promise<number> } {
  let running = true;
  let kills = 0;
  let cut: () => void = () => undefined;
  const firstCut = new Promise<void>((resolve) => (cut = resolve));
  const marker = `-${node.process.pid}-`;
  const loop = (async () => {
    while (running) {
      const list = (await redis.client('LIST')) as string;
      for (const line of list.split('\n')) {
        const id = /(?:^| )id=(\d+)/.exec(line)?.[1];
        const name = /(?:^| )name=(\S*)/.exec(line)?.[1] ?? '';
        if (id && name.startsWith(redisPrefix) && name.includes(marker)) {
          kills += Number(await redis.client('KILL', 'ID', id));
          cut();
        }
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  return {
    firstCut,
    stop: async () => {
      running = false;
      await loop;
      return kills;
    },
  };
}

/** The socket's close and how long after `since` it came; null when it is still open after `timeoutMs`. */
function closedWithin(socket: TestSocket, since: () => number, timeoutMs: number) {
  return Promise.race([
    socket.closed.then((close) => ({ ...close, afterMs: Date.now() - since() })),
    new Promise<null>((r) => setTimeout(() => r(null), timeoutMs)),
  ]);
}

describeWithServices(services, 'a revocation made while the revoking instance cannot reach Redis', () => {
  let cluster: TestCluster;
  let redis: Redis;
  const sockets: TestSocket[] = [];

  async function connect(node: ClusterNode, cookie: string): Promise<TestSocket> {
    const socket = await TestSocket.connect(node.wsUrl, cookie);
    sockets.push(socket);
    return socket;
  }

  beforeAll(async () => {
    cluster = await startCluster(2, { ADMIN_TOKEN });
    redis = new Redis(TEST_REDIS_URL);
  }, 90_000);

  afterAll(async () => {
    for (const socket of sockets) socket.ws.terminate();
    redis?.disconnect();
    await cluster?.close();
  }, 30_000);

  it('logout: the socket on another instance closes with 4401 within 1 s, another session stays open', async () => {
    const [revoking, other] = cluster.nodes;
    const alice = await registerAndLogin(revoking.baseUrl);
    const aliceElsewhere = await login(other.baseUrl, alice.nickname, alice.password);
    const victim = await connect(other, alice.cookie);
    const sibling = await connect(other, aliceElsewhere.cookie);
    const failuresBefore = (await MetricsScrape.fetch(revoking.baseUrl)).value('chat_fanout_publish_failures_total');

    const cut = cutRedisOf(redis, cluster.redisPrefix, revoking);
    await cut.firstCut;
    let answeredAt = Infinity;
    const closing = closedWithin(victim, () => answeredAt, 5 * REVOCATION_BOUND_MS);
    const logout = await postJson(revoking.baseUrl, '/api/auth/logout', undefined, { cookie: alice.cookie });
    answeredAt = Date.now();
    expect(logout.status).toBe(204);
    const closed = await closing;
    const kills = await cut.stop();
    expect(kills).toBeGreaterThan(0);
    // the announcement on the bus really was refused: only the re-check can have closed it
    const failuresAfter = (await MetricsScrape.fetch(revoking.baseUrl)).value('chat_fanout_publish_failures_total');
    expect(failuresAfter).toBeGreaterThan(failuresBefore);
    expect(closed).toMatchObject({ code: 4401 });
    expect(closed!.afterMs).toBeLessThanOrEqual(REVOCATION_BOUND_MS);
    // the user's other session is untouched
    sibling.send({ type: 'history', limit: 1 });
    expect(await sibling.nextOfType('history')).toMatchObject({ type: 'history' });
  });

  it('admin revoke: every session of the user closes with 4401 on both instances within 1 s', async () => {
    const [revoking, other] = cluster.nodes;
    const bob = await registerAndLogin(other.baseUrl);
    const bobAgain = await login(revoking.baseUrl, bob.nickname, bob.password);
    const onOther = await connect(other, bob.cookie);
    const onRevoking = await connect(revoking, bobAgain.cookie);

    const cut = cutRedisOf(redis, cluster.redisPrefix, revoking);
    await cut.firstCut;
    let answeredAt = Infinity;
    const closing = [onOther, onRevoking].map((socket) =>
      closedWithin(socket, () => answeredAt, 5 * REVOCATION_BOUND_MS),
    );
    const revoke = await postJson(revoking.baseUrl, `/api/admin/users/${bob.id}/revoke-sessions`, undefined, {
      'x-admin-token': ADMIN_TOKEN,
    });
    answeredAt = Date.now();
    expect(revoke).toMatchObject({ status: 200, body: { revoked: 2 } });
    const closes = await Promise.all(closing);
    await cut.stop();
    for (const close of closes) {
      expect(close).toMatchObject({ code: 4401 });
      expect(close!.afterMs).toBeLessThanOrEqual(REVOCATION_BOUND_MS);
    }
  });
});
