import { Cluster } from 'ioredis';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { RedisFanoutBus } from '../../src/chat/fanout/redis-fanout.bus.js';
import type { PresenceChangeFrame } from '../../src/chat/protocol/frames.js';
import { PRESENCE_BATCH_LIMIT, RedisPresenceStore } from '../../src/chat/presence/redis-presence.store.js';
import { requireLocalRedisCluster } from '../support/cluster-redis.js';
import {
  deleteRedisKeys,
  describeWithServices,
  requireServices,
  TEST_REDIS_URL,
  testNamespace,
} from '../support/services.js';

const oneRedis = await requireServices('redis');
const started = oneRedis.available ? await requireLocalRedisCluster() : null;
const redisCluster = started?.cluster ?? null;

afterAll(async () => {
  await redisCluster?.stop();
});

const user = (id: number) => ({ id, nickname: `u${id}` });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Script calls (`EVAL`, `EVALSHA`) so far, summed over the masters of the test Redis Cluster. */
async function scriptCalls(admin: Cluster): Promise<number> {
  const counts = await Promise.all(
    admin.nodes('master').map(async (node) => {
      const info = await node.info('commandstats');
      return [...info.matchAll(/^cmdstat_(?:eval|evalsha):calls=(\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}

const subjects = [
  { name: 'one Redis', url: () => TEST_REDIS_URL, probe: oneRedis },
  {
    name: 'a three-master Redis Cluster',
    url: () => redisCluster!.url,
    probe: started?.probe ?? oneRedis,
  },
];

for (const subject of subjects)
  describeWithServices(subject.probe, `presence changes sent in batches, on ${subject.name}`, () => {
    let prefix: string;
    let bus: RedisFanoutBus;
    let stores: RedisPresenceStore[];
    let admin: Cluster | null = null;
    /** Script calls on the Redis Cluster before the nodes started. */
    let scriptsBefore = 0;
    /** Every presence frame announced, in the order the channel delivered them. */
    const frames: PresenceChangeFrame[] = [];

    beforeAll(async () => {
      prefix = `${testNamespace()}:`;
      bus = await RedisFanoutBus.open({ url: subject.url(), keyPrefix: prefix, nodeId: 'listener' });
      bus.subscribe((envelope) => {
        if (envelope.kind === 'everyone') frames.push(JSON.parse(envelope.frame) as PresenceChangeFrame);
      });
      if (subject.url() !== TEST_REDIS_URL) {
        admin = new Cluster(redisCluster!.ports.map((port) => ({ host: '127.0.0.1', port })));
        scriptsBefore = await scriptCalls(admin);
      }
      // the first spec's changes follow at once: nothing between a node's start and its first batch
      stores = await Promise.all(
        ['n1', 'n2', 'n3'].map((nodeId) =>
          RedisPresenceStore.open({
            url: subject.url(),
            keyPrefix: prefix,
            nodeId,
            presenceTtlMs: 20_000,
            announceChannel: bus.channel,
          }),
        ),
      );
    });
    afterAll(async () => {
      for (const store of stores ?? []) await store.close();
      await bus?.close();
      admin?.disconnect();
      if (subject.url() === TEST_REDIS_URL) await deleteRedisKeys(prefix);
    });

    /** Per user id: the frame types announced for them, in order. */
    const announcedFor = () => {
      const byUser = new Map<number, string[]>();
      for (const frame of frames) byUser.set(frame.user_id, [...(byUser.get(frame.user_id) ?? []), frame.type]);
      return byUser;
    };

    it('a storm over three fresh nodes announces and answers each cluster-wide change exactly once, in order, in few script calls', async () => {
      const [n1, n2, n3] = stores;
      // all in one turn of the event loop, each node's first batch (script load, slot
      // discovery): overlapping users on two nodes, and users who join and leave again
      // before the batch goes (both changes announced, in order)
      const [first, second, third] = await Promise.all([
        Promise.all(range(1, 150).map((id) => n1.add(user(id)))),
        Promise.all(range(101, 200).map((id) => n2.add(user(id)))),
        Promise.all(range(201, 220).flatMap((id) => [n3.add(user(id)), n3.remove(id)])),
      ]);
      const changes = first.length + second.length + third.length;
      await vi.waitFor(() => expect(frames.length).toBe(240), { timeout: 10_000 });
      const announced = announcedFor();
      for (const id of range(1, 200)) expect(announced.get(id)).toEqual(['user_joined']);
      for (const id of range(201, 220)) expect(announced.get(id)).toEqual(['user_joined', 'user_left']);
      // each join is answered "changed" by exactly the node that made it (for a user on two
      // nodes, whichever batch came first)
      expect(first.slice(0, 100)).toEqual(first.slice(0, 100).map(() => true));
      expect(second.slice(50)).toEqual(second.slice(50).map(() => true));
      for (let i = 0; i < 50; i++) expect(Number(first[100 + i]) + Number(second[i])).toBe(1);
      expect(third.every(Boolean)).toBe(true);
      expect((await n3.online()).map((u) => u.id)).toEqual(range(1, 200));
      if (admin) {
        // one script call per batch (and the nodes' own registrations, heartbeats and sweeps), not one per change
        expect((await scriptCalls(admin)) - scriptsBefore).toBeLessThan(changes / 10);
      }

      // leaving: users on two nodes go offline once the second node lets go of them
      frames.length = 0;
      const left = await Promise.all([
        ...range(1, 150).map((id) => n1.remove(id)),
        ...range(101, 200).map((id) => n2.remove(id)),
      ]);
      await vi.waitFor(() => expect(frames.length).toBe(200), { timeout: 10_000 });
      const leaving = announcedFor();
      for (const id of range(1, 200)) expect(leaving.get(id)).toEqual(['user_left']);
      // a user on both nodes goes offline with the second node's remove, whichever it is
      for (const id of range(1, 200)) {
        const byN1 = id <= 150 ? Number(left[id - 1]) : 0;
        const byN2 = id >= 101 ? Number(left[150 + id - 101]) : 0;
        expect(byN1 + byN2).toBe(1);
      }
      expect(await n1.online()).toEqual([]);
    });

    it('a batch larger than the limit is split and keeps every change', async () => {
      const [n1] = stores;
      frames.length = 0;
      const ids = range(1_001, 1_000 + PRESENCE_BATCH_LIMIT * 2 + 7);
      const answers = await Promise.all(ids.map((id) => n1.add(user(id))));
      expect(answers.every(Boolean)).toBe(true);
      const mine = () => frames.filter((f) => ids.includes(f.user_id)).map((f) => f.user_id);
      await vi.waitFor(() => expect(mine().length).toBe(ids.length), { timeout: 10_000 });
      expect(mine()).toEqual(ids);
      await Promise.all(ids.map((id) => n1.remove(id)));
      expect(await n1.online()).toEqual([]);
    });

    it('a nickname changed between two adds on different nodes is the one listed', async () => {
      const [n1, n2] = stores;
      expect(await n1.add({ id: 5_000, nickname: 'before' })).toBe(true);
      expect(await n2.add({ id: 5_000, nickname: 'after' })).toBe(false);
      expect(await n1.online()).toEqual([{ id: 5_000, nickname: 'after' }]);
      await n1.remove(5_000);
      expect(await n2.remove(5_000)).toBe(true);
    });

    it('after the server lost its scripts (a restart, a failover), the next batch still applies in order', async () => {
      const [n1] = stores;
      if (admin) await Promise.all(admin.nodes('master').map((node) => node.script('FLUSH')));
      frames.length = 0;
      const answers = await Promise.all([n1.add(user(7_001)), n1.remove(7_001), n1.add(user(7_001))]);
      expect(answers).toEqual([true, true, true]);
      // (a frame of the previous test may still arrive: only this user's are looked at)
      const mine = () => frames.filter((f) => f.user_id === 7_001).map((f) => [f.type, f.user_id]);
      await vi.waitFor(() => expect(mine().length).toBe(3), { timeout: 10_000 });
      expect(mine()).toEqual([
        ['user_joined', 7_001],
        ['user_left', 7_001],
        ['user_joined', 7_001],
      ]);
      await n1.remove(7_001);
    });
  });
