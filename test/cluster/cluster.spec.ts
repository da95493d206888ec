import { Redis } from 'ioredis';
import { MetricsScrape } from '../support/metrics-scrape.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type {
  AckFrame,
  ChatMessageFrame,
  PresenceChangeFrame,
  PrivateMessageFrame,
  ServerFrame,
} from '../../src/chat/protocol/frames.js';
import { startCluster, TestCluster, waitForHealth } from '../support/cluster.js';
import { postJson, registerAndLogin, TestUser } from '../support/http-client.js';
import {
  describeWithServices,
  requireClusterServices,
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
} from '../support/services.js';
import { TestSocket } from '../support/ws-client.js';

const services = await requireClusterServices();

/** The presence bound the cluster runs with (the contract's 20 s, shortened for the test). */
const PRESENCE_TTL_MS = 4_000;

const isPresence = (userId: number) => (f: ServerFrame) =>
  (f.type === 'user_joined' || f.type === 'user_left') && f.user_id === userId;

describeWithServices(services, 'three instances as separate processes on Redis and PostgreSQL', () => {
  let cluster: TestCluster;
  let wsA: string;
  let wsB: string;
  let wsC: string;
  const sockets: TestSocket[] = [];

  /** Opens a socket that is closed after the suite even if a test fails. */
  async function connect(url: string, user: TestUser): Promise<TestSocket> {
    const socket = await TestSocket.connect(url, user.cookie);
    sockets.push(socket);
    return socket;
  }

  async function users(count: number): Promise<TestUser[]> {
    const { nodes } = cluster;
    return Promise.all(Array.from({ length: count }, (_, i) => registerAndLogin(nodes[i % nodes.length].baseUrl)));
  }

  beforeAll(async () => {
    // 100 messages per user and almost no refill: plenty for each test, exact for the rate-limit one
    cluster = await startCluster(3, {
      CHAT_PRESENCE_TTL_MS: String(PRESENCE_TTL_MS),
      CHAT_RATE_LIMIT: '1/1m,burst=100',
    });
    [wsA, wsB, wsC] = cluster.nodes.map((node) => node.wsUrl);
  }, 60_000);

  afterAll(async () => {
    for (const socket of sockets) socket.ws.terminate();
    await cluster?.close();
  }, 30_000);

  it('delivers a chat_message sent on one instance to every socket on every instance, once', async () => {
    const [alice, bob, carol] = await users(3);
    const a = await connect(wsA, alice);
    const b = await connect(wsB, bob);
    const c = await connect(wsC, carol);
    a.send({ type: 'chat_message', content: '  hello cluster  ', client_id: 'x-1', user_id: 999, nickname: 'mallory' });
    const ack = await a.nextOfType('ack');
    const frames = await Promise.all(
      [a, b, c].map((s) => s.next<ChatMessageFrame>((f) => f.type === 'chat_message' && f.id === ack.id)),
    );
    expect(frames[1]).toEqual(frames[0]);
    expect(frames[2]).toEqual(frames[0]);
    expect(frames[0]).toMatchObject({
      content: 'hello cluster',
      user_id: alice.id,
      nickname: alice.nickname,
      timestamp: ack.timestamp,
    });
    // the same client_id again (a retry through another instance): the original ack, nothing delivered twice
    const retry = await connect(wsC, alice);
    retry.send({ type: 'chat_message', content: 'hello cluster', client_id: 'x-1' });
    expect(await retry.nextOfType('ack')).toEqual(ack);
    b.send({ type: 'chat_message', content: 'sentinel-1' });
    await c.next((f) => f.type === 'chat_message' && f.content === 'sentinel-1');
    expect(c.framesOfType('chat_message').filter((f) => f.id === ack.id)).toHaveLength(1);
  });

  it("counts one user's messages against one rate limit across instances", async () => {
    const [alice] = await users(1);
    const onA = await connect(wsA, alice);
    const onB = await connect(wsB, alice);
    for (let i = 0; i < 70; i++) {
      onA.send({ type: 'chat_message', content: `limit-a-${i}`, client_id: `la-${i}` });
      onB.send({ type: 'chat_message', content: `limit-b-${i}`, client_id: `lb-${i}` });
    }
    const answers = await Promise.all(
      [onA, onB].map(async (socket) => {
        const got = [];
        for (let i = 0; i < 70; i++) got.push(await socket.next((f) => f.type === 'ack' || f.type === 'error'));
        return got;
      }),
    );
    const all = answers.flat();
    expect(all.filter((f) => f.type === 'ack')).toHaveLength(100);
    const refused = all.filter((f) => f.type === 'error');
    expect(refused).toHaveLength(40);
    expect(refused.every((f) => f.type === 'error' && f.code === 'rate_limited' && f.retry_after_ms! > 0)).toBe(true);
  });

  it('gives every instance the messages of one conversation in the same order, the id order', async () => {
    const [alice, bob, carol] = await users(3);
    const watchers = [await connect(wsA, carol), await connect(wsB, carol), await connect(wsC, carol)];
    const a = await connect(wsA, alice);
    const b = await connect(wsB, bob);
    const count = 25;
    for (let i = 0; i < count; i++) {
      a.send({ type: 'chat_message', content: `order-a-${i}` });
      b.send({ type: 'chat_message', content: `order-b-${i}` });
    }
    const sequences = await Promise.all(
      watchers.map(async (w) => {
        const got: ChatMessageFrame[] = [];
        while (got.length < 2 * count)
          got.push(await w.next<ChatMessageFrame>((f) => f.type === 'chat_message' && f.content.startsWith('order-')));
        return got.map((f) => f.id);
      }),
    );
    expect(sequences[1]).toEqual(sequences[0]);
    expect(sequences[2]).toEqual(sequences[0]);
    expect(sequences[0]).toEqual([...sequences[0]].sort((x, y) => x - y));
  });

  it('delivers a private message to both parties on every instance and to nobody else', async () => {
    const [alice, bob, carol] = await users(3);
    const aliceA = await connect(wsA, alice);
    const aliceC = await connect(wsC, alice);
    const bobB = await connect(wsB, bob);
    const carolC = await connect(wsC, carol);
    aliceA.send({ type: 'private_message', to: bob.id, content: 'psst', client_id: 'p-1' });
    const ack = await aliceA.nextOfType('ack');
    for (const socket of [aliceA, aliceC, bobB]) {
      expect(
        await socket.next<PrivateMessageFrame>((f) => f.type === 'private_message' && f.id === ack.id),
      ).toMatchObject({
        content: 'psst',
        user_id: alice.id,
        to: bob.id,
      });
    }
    aliceA.send({ type: 'chat_message', content: 'sentinel-2' });
    await carolC.next((f) => f.type === 'chat_message' && f.content === 'sentinel-2');
    expect(carolC.framesOfType('private_message')).toEqual([]);
    bobB.send({ type: 'history', with: alice.id });
    expect((await bobB.nextOfType('history')).messages.map((m) => m.id)).toEqual([ack.id]);
  });

  it('counts a user with tabs on two instances online once: one user_joined, closing one tab says nothing', async () => {
    const [watcherUser, dave] = await users(2);
    const watcher = await connect(wsC, watcherUser);
    const tab1 = await connect(wsA, dave);
    expect(await watcher.next<PresenceChangeFrame>(isPresence(dave.id))).toMatchObject({
      type: 'user_joined',
      nickname: dave.nickname,
    });
    const tab2 = await connect(wsB, dave);
    const fresh = await TestSocket.open(wsC, { cookie: watcherUser.cookie });
    sockets.push(fresh);
    const online = await fresh.nextOfType('online_users');
    expect(online.users.filter((u) => u.id === dave.id)).toEqual([{ id: dave.id, nickname: dave.nickname }]);
    await tab1.close();
    tab2.send({ type: 'chat_message', content: 'sentinel-3' });
    await watcher.next((f) => f.type === 'chat_message' && f.content === 'sentinel-3');
    expect(watcher.frames.filter(isPresence(dave.id)).map((f) => f.type)).toEqual(['user_joined']);
    await tab2.close();
    expect(await watcher.next(isPresence(dave.id))).toMatchObject({ type: 'user_left' });
  });

  it('closes the sockets of a session on another instance with 4401 within 1 s of logout', async () => {
    const [erin] = await users(1);
    const onB = await connect(wsB, erin);
    const onC = await connect(wsC, erin);
    const started = Date.now();
    const logout = await postJson(cluster.nodes[0].baseUrl, '/api/auth/logout', undefined, { cookie: erin.cookie });
    expect(logout.status).toBe(204);
    const [closedB, closedC] = await Promise.all([onB.closed, onC.closed]);
    const elapsed = Date.now() - started;
    expect(closedB.code).toBe(4401);
    expect(closedC.code).toBe(4401);
    expect(elapsed).toBeLessThan(1_000);
    await expect(TestSocket.open(wsC, { cookie: erin.cookie })).rejects.toMatchObject({ status: 401 });
  });

  it('survives a Redis outage of one instance: local sockets served, /health 503, delivery resumes by itself', async () => {
    const [alice, bob] = await users(2);
    const nodeA = cluster.nodes[0];
    const aliceA = await connect(wsA, alice);
    const bobB = await connect(wsB, bob);
    const admin = new Redis(TEST_REDIS_URL);
    const marker = `-${nodeA.process.pid}-`;
    const killA = async () => {
      const list = await admin.client('LIST');
      const ids = String(list)
        .split('\n')
        .filter((line) => / name=(\S+)/.exec(line)?.[1]?.startsWith(cluster.redisPrefix) && line.includes(marker))
        .map((line) => /(?:^| )id=(\d+)/.exec(line)![1]);
      for (const id of ids) await admin.client('KILL', 'ID', id).catch(() => undefined);
      return ids.length;
    };
    let saw503 = false;
    let outageEnd = 0;
    try {
      expect(await killA()).toBe(3); // bus publisher, bus subscriber, presence
      // keep A's connections down for 2 s: kill each one as soon as it comes back
      const until = Date.now() + 2_000;
      let probe: Promise<void> | null = null;
      while (Date.now() < until) {
        await killA();
        probe ??= (async () => {
          saw503 = (await fetch(`${nodeA.baseUrl}/health`)).status === 503;
          // stored and acked although Redis is unreachable, and delivered to A's own sockets
          aliceA.send({ type: 'chat_message', content: 'during-outage', client_id: 'o-1' });
          const ack = await aliceA.nextOfType('ack');
          await aliceA.next((f) => f.type === 'chat_message' && f.id === ack.id);
        })();
        await new Promise((r) => setTimeout(r, 20));
      }
      await probe;
      outageEnd = Date.now();
    } finally {
      admin.disconnect();
    }
    expect(saw503).toBe(true);
    expect((await MetricsScrape.fetch(nodeA.baseUrl)).value('chat_fanout_outages_total')).toBeGreaterThanOrEqual(1);
    const healthyAfter = await waitForHealth(nodeA, 200, 10_000).catch((error: Error) => {
      throw new Error(`${error.message}; its output ends with: ${nodeA.output().slice(-3000)}`);
    });
    // delivery across instances in both directions, with no restart
    let n = 0;
    let deliveredAfter = -1;
    while (deliveredAfter < 0) {
      if (Date.now() - outageEnd > 10_000) throw new Error('cluster delivery did not resume within 10 s');
      n += 1;
      bobB.send({ type: 'chat_message', content: `probe-${n}` });
      const got = await aliceA
        .next((f) => f.type === 'chat_message' && f.content.startsWith('probe-'), 200)
        .catch(() => null);
      if (got) deliveredAfter = Date.now() - outageEnd;
    }
    aliceA.send({ type: 'chat_message', content: 'back-from-a' });
    await bobB.next((f) => f.type === 'chat_message' && f.content === 'back-from-a');
    process.stdout.write(
      `[cluster] Redis outage: /health back to 200 ${healthyAfter} ms and cross-instance delivery back ${deliveredAfter} ms after the outage ended\n`,
    );
    expect(nodeA.process.exitCode).toBeNull();
    const log = nodeA.output();
    expect(log).not.toMatch(/stored but not published|Unhandled|unhandledRejection/);
    expect(log).toMatch(/Redis unreachable/);
  }, 40_000);

  it('keeps serving when PostgreSQL drops every connection of the cluster (pg_terminate_backend)', async () => {
    const [alice, bob] = await users(2);
    const aliceA = await connect(wsA, alice);
    const bobC = await connect(wsC, bob);
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    try {
      const { rows } = await admin.query(
        `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE application_name LIKE $1`,
        [`forum-chat % ${cluster.namespace}`],
      );
      expect(rows.length).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    // a retry with the same client_id is safe: stored once, acked with the original id
    let ack: AckFrame | null = null;
    for (let attempt = 0; ack === null; attempt++) {
      if (attempt === 20) throw new Error('no ack after 20 attempts');
      aliceA.send({ type: 'chat_message', content: 'after the database dropped us', client_id: 'pg-1' });
      const reply = await aliceA.next((f) => f.type === 'ack' || (f.type === 'error' && f.ref === 'pg-1'));
      if (reply.type === 'ack') ack = reply;
    }
    const delivered = await bobC.next<ChatMessageFrame>(
      (f) => f.type === 'chat_message' && f.content === 'after the database dropped us',
    );
    expect(delivered.id).toBe(ack.id);
    for (const node of cluster.nodes) expect(node.process.exitCode).toBeNull();
    await waitForHealth(cluster.nodes[0], 200, 5_000);
  });

  it('reports the users of an instance killed with SIGKILL as gone, once, within the bound', async () => {
    const [watcherUser, henry, judy, kim] = await users(4);
    const watcherA = await connect(wsA, watcherUser);
    const watcherB = await connect(wsB, watcherUser);
    const henryC = await connect(wsC, henry);
    await connect(wsC, judy);
    await connect(wsB, judy);
    await connect(wsC, kim);
    for (const user of [henry, judy, kim])
      await watcherA.next((f) => f.type === 'user_joined' && f.user_id === user.id);
    const nodeC = cluster.nodes[2];
    const killedAt = Date.now();
    nodeC.process.kill('SIGKILL');
    await nodeC.exited;
    // kim comes back through another instance before the dead one is noticed
    const kimB = await connect(wsB, kim);
    const left = await watcherA.next<PresenceChangeFrame>(isPresence(henry.id), PRESENCE_TTL_MS + 5_000);
    const cleanupMs = Date.now() - killedAt;
    expect(left.type).toBe('user_left');
    process.stdout.write(
      `[cluster] SIGKILL: user_left for the dead instance's user after ${cleanupMs} ms (bound ${PRESENCE_TTL_MS} ms)\n`,
    );
    expect(cleanupMs).toBeLessThan(PRESENCE_TTL_MS);
    await expect(henryC.closed).resolves.toMatchObject({ code: 1006 });
    kimB.send({ type: 'chat_message', content: 'sentinel-4' });
    for (const watcher of [watcherA, watcherB]) {
      await watcher.next((f) => f.type === 'chat_message' && f.content === 'sentinel-4');
      expect(watcher.frames.filter(isPresence(henry.id)).map((f) => f.type)).toEqual(['user_joined', 'user_left']);
      expect(watcher.frames.filter(isPresence(judy.id)).map((f) => f.type)).toEqual(['user_joined']);
      expect(watcher.frames.filter(isPresence(kim.id)).map((f) => f.type)).toEqual(['user_joined']);
    }
    const fresh = await TestSocket.open(wsA, { cookie: watcherUser.cookie });
    sockets.push(fresh);
    const online = (await fresh.nextOfType('online_users')).users.map((u) => u.id);
    expect(online).toEqual(expect.arrayContaining([judy.id, kim.id]));
    expect(online).not.toContain(henry.id);
    // the dead instance's user reconnecting elsewhere is online again
    await connect(wsA, henry);
    expect(await watcherB.next(isPresence(henry.id))).toMatchObject({ type: 'user_joined' });
  }, 30_000);
  it('announces the users of an instance stopped with SIGTERM at once, and the instance exits cleanly', async () => {
    const [watcherUser, lena] = await users(2);
    const watcher = await connect(wsA, watcherUser);
    const lenaB = await connect(wsB, lena);
    await watcher.next((f) => f.type === 'user_joined' && f.user_id === lena.id);
    const nodeB = cluster.nodes[1];
    const stoppedAt = Date.now();
    nodeB.process.kill('SIGTERM');
    expect((await lenaB.closed).code).toBe(1001);
    await watcher.next((f) => f.type === 'user_left' && f.user_id === lena.id, PRESENCE_TTL_MS);
    const announcedMs = Date.now() - stoppedAt;
    await nodeB.exited;
    expect(nodeB.process.exitCode).toBe(0);
    expect(announcedMs).toBeLessThan(PRESENCE_TTL_MS / 2);
  });
});
