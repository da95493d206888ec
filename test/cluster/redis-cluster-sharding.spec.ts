import { Cluster } from 'ioredis';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { FanoutEnvelope } from '../../src/chat/fanout/fanout.bus.js';
import { RedisFanoutBus } from '../../src/chat/fanout/redis-fanout.bus.js';
import { RedisRateLimiter } from '../../src/chat/limits/redis-rate.limiter.js';
import { presenceScripts } from '../../src/chat/presence/redis-presence.scripts.js';
import { RedisPresenceStore } from '../../src/chat/presence/redis-presence.store.js';
import type { PublicUser } from '../../src/chat/protocol/frames.js';
import { putRoom, TEST_ADMIN_TOKEN } from '../support/admin-client.js';
import { startClusterTestApp } from '../support/cluster-test-app.js';
import { LocalRedisCluster, requireLocalRedisCluster, useRedisCluster } from '../support/cluster-redis.js';
import { registerAndLogin } from '../support/http-client.js';
import { describeWithServices, requireClusterServices, testNamespace } from '../support/services.js';
import type { TestApp } from '../support/test-app.js';
import { TestSocket } from '../support/ws-client.js';

const services = await requireClusterServices();
const started = services.available ? await requireLocalRedisCluster() : null;
const probe = started?.probe ?? services;
const redisCluster = started?.cluster ?? null;

/** A direct client of the test Redis Cluster, for inspecting it (slots, subscriptions, commands). */
let admin: Cluster;

beforeAll(() => {
  if (!redisCluster) return;
  admin = new Cluster(redisCluster.ports.map((port) => ({ host: '127.0.0.1', port })));
});
afterAll(async () => {
  admin?.disconnect();
  await redisCluster?.stop();
});

/** Per master: how many subscribers its shard channel `channel` has there. */
async function shardSubscribers(cluster: LocalRedisCluster, channel: string): Promise<number[]> {
  return Promise.all(
    admin.nodes('master').map(async (node) => {
      const [, count] = (await node.call('PUBSUB', 'SHARDNUMSUB', channel)) as [string, number];
      return Number(count);
    }),
  ).then((counts) => (counts.length === cluster.ports.length ? counts : []));
}

/**
 * Per master (in `admin.nodes('master')` order): the `SPUBLISH` commands it executes from now
 * on (MONITOR), the buses' liveness probes (`P…`) left out; `stop` ends the watching.
 */
async function watchPublishes(): Promise<{ counts: number[]; stop(): void }> {
  const monitors = await Promise.all(admin.nodes('master').map((node) => node.monitor()));
  const counts = monitors.map(() => 0);
  monitors.forEach((monitor, i) =>
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args[0]?.toLowerCase() === 'spublish' && !args[2]?.startsWith('P')) counts[i] += 1;
    }),
  );
  return { counts, stop: () => monitors.forEach((monitor) => monitor.disconnect()) };
}

/** The index (in `admin.nodes('master')`) of the master serving `key`'s slot. */
async function masterOf(key: string): Promise<number> {
  const slot = Number(await admin.call('CLUSTER', 'KEYSLOT', key));
  const ranges = (await admin.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number]]>;
  const owner = ranges.find(([from, to]) => slot >= from && slot <= to)!;
  return admin.nodes('master').findIndex((node) => node.options.port === owner[2][1]);
}

describeWithServices(probe, 'fan-out on a three-master Redis Cluster: one shard channel per room', () => {
  const buses: RedisFanoutBus[] = [];
  const received = new Map<RedisFanoutBus, FanoutEnvelope[]>();
  let prefix: string;

  async function node(id: string): Promise<RedisFanoutBus> {
    const bus = await RedisFanoutBus.open({ url: redisCluster!.url, keyPrefix: prefix, nodeId: id });
    buses.push(bus);
    received.set(bus, []);
    bus.subscribe((envelope) => received.get(bus)!.push(envelope));
    return bus;
  }

  beforeAll(() => {
    prefix = `${testNamespace()}:`;
  });
  afterAll(async () => {
    for (const bus of buses) await bus.close();
  });

  it("a room's messages are one SPUBLISH on the room's shard, received only by the node that follows the room", async () => {
    const follower = await node('follower');
    const other = await node('other');
    expect(follower.names.sharded).toBe(true);
    const channel = follower.names.room('staff');
    const shard = await masterOf(channel);
    const everyoneShard = await masterOf(follower.channel);

    await follower.watchRoom('staff');
    const subscribers = await shardSubscribers(redisCluster!, channel);
    expect(subscribers.reduce((a, b) => a + b, 0)).toBe(1); // the follower only, on the room's shard
    expect(subscribers[shard]).toBe(1);

    const publishes = await watchPublishes();
    try {
      const frame = JSON.stringify({ type: 'typing', room: 'staff', user_id: 1, nickname: 'a', active: true });
      await other.publish({ kind: 'room', room: 'staff', frame });
      await other.publish({ kind: 'everyone', frame: '{"type":"sentinel"}' });
      await vi.waitFor(() => expect(received.get(other)!.map((e) => e.kind)).toEqual(['everyone']));
      await vi.waitFor(() => expect(received.get(follower)!.map((e) => e.kind)).toEqual(['room', 'everyone']));
      const expected = publishes.counts.map((_, i) => (i === shard ? 1 : 0) + (i === everyoneShard ? 1 : 0));
      await vi.waitFor(() => expect(publishes.counts).toEqual(expected));
    } finally {
      publishes.stop();
    }
  });

  it('a room access change travels on the shard channel of each room it names', async () => {
    const follower = buses[0];
    received.set(follower, []);
    await follower.publish({ kind: 'room_access', rooms: ['staff', 'elsewhere'] });
    await follower.publish({ kind: 'everyone', frame: '{"type":"sentinel"}' });
    await vi.waitFor(() =>
      expect(received.get(follower)).toEqual([
        { kind: 'room_access', rooms: ['staff'] },
        { kind: 'everyone', frame: '{"type":"sentinel"}' },
      ]),
    );
  });

  it('the last follower leaving unsubscribes the node from the shard channel', async () => {
    const follower = buses[0];
    follower.unwatchRoom('staff');
    await vi.waitFor(async () =>
      expect((await shardSubscribers(redisCluster!, follower.names.room('staff'))).every((n) => n === 0)).toBe(true),
    );
    expect(follower.watchedRooms()).toEqual([]);
  });

  it('after every master dropped its pub/sub clients, a followed room and the shared channel arrive again', async () => {
    const follower = await node('refollower');
    const other = await node('republisher');
    await follower.watchRoom('crew');
    let killed = 0;
    for (const master of admin.nodes('master')) killed += Number(await master.call('CLIENT', 'KILL', 'TYPE', 'pubsub'));
    expect(killed).toBeGreaterThanOrEqual(2); // the subscriptions of these two nodes at least

    const frame = JSON.stringify({ type: 'typing', room: 'crew', user_id: 1, nickname: 'a', active: true });
    await vi.waitFor(
      async () => {
        await other.publish({ kind: 'room', room: 'crew', frame }).catch(() => undefined);
        await other.publish({ kind: 'everyone', frame: '{"type":"sentinel"}' }).catch(() => undefined);
        expect(new Set(received.get(follower)!.map((e) => e.kind))).toEqual(new Set(['room', 'everyone']));
      },
      { timeout: 15_000, interval: 250 },
    );

    // the last follower leaving still releases the shard channel after the resubscription
    follower.unwatchRoom('crew');
    await vi.waitFor(async () =>
      expect((await shardSubscribers(redisCluster!, follower.names.room('crew'))).every((n) => n === 0)).toBe(true),
    );
  });

  it('rooms left and followed again while the pub/sub connections reopen end up subscribed exactly while followed', async () => {
    const bus = await node('churn');
    await bus.watchRoom('warm');
    for (const master of admin.nodes('master')) await master.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    const kept = Array.from({ length: 50 }, (_, i) => `kept${i}`);
    const left = Array.from({ length: 50 }, (_, i) => `left${i}`);
    const watched: Array<Promise<void>> = [];
    for (const room of kept) {
      void bus.watchRoom(room);
      bus.unwatchRoom(room);
      watched.push(bus.watchRoom(room));
    }
    for (const room of left) {
      void bus.watchRoom(room);
      bus.unwatchRoom(room);
    }
    await Promise.all(watched);
    const total = async (room: string) =>
      (await shardSubscribers(redisCluster!, bus.names.room(room))).reduce((a, b) => a + b, 0);
    await vi.waitFor(async () => {
      expect(await Promise.all(kept.map(total))).toEqual(kept.map(() => 1));
      expect(await Promise.all(left.map(total))).toEqual(left.map(() => 0));
    });
  });
});

describeWithServices(probe, 'presence and rate-limit scripts on a Redis Cluster: every key on one slot', () => {
  const stores: RedisPresenceStore[] = [];
  let bus: RedisFanoutBus;
  let prefix: string;

  beforeAll(async () => {
    prefix = `${testNamespace()}:`;
    bus = await RedisFanoutBus.open({ url: redisCluster!.url, keyPrefix: prefix, nodeId: 'listener' });
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await bus.close();
  });

  it('every presence key and the announcement channel hash to one slot', async () => {
    const base = bus.names.presenceKeyBase;
    const names = [
      `${base}presence:nodes`,
      `${base}presence:online`,
      `${base}presence:node:some-node`,
      `${base}presence:user:123456`,
      bus.channel,
    ];
    const slots = await Promise.all(names.map((name) => admin.call('CLUSTER', 'KEYSLOT', name)));
    expect(new Set(slots).size).toBe(1);
  });

  const isLeaveOf42 = (frame: { type: string; user_id?: number }) => frame.type === 'user_left' && frame.user_id === 42;

  it('add, remove, heartbeat, resync and reap run on the cluster, announcing on the shared shard channel', async () => {
    const announced: string[] = [];
    bus.subscribe((envelope) => {
      if (envelope.kind === 'everyone') announced.push(envelope.frame);
    });
    const store = await RedisPresenceStore.open({
      url: redisCluster!.url,
      keyPrefix: prefix,
      nodeId: 'n1',
      presenceTtlMs: 2_000,
      announceChannel: bus.channel,
    });
    stores.push(store);
    const user: PublicUser = { id: 41, nickname: 'ann' };
    // the store's own first heartbeat may re-send its membership (this user) before the add
    // runs, so the add's answer is not asserted here: the state and the one announcement are
    await store.add(user);
    expect(await store.online()).toEqual([user]);
    expect(await store.onlineAmong([41, 42])).toEqual(new Set([41]));
    await vi.waitFor(() => expect(announced.filter((frame) => frame.includes('"user_joined"'))).toHaveLength(1));
    expect(await store.remove(41)).toBe(true);
    await vi.waitFor(() => expect(announced.some((frame) => frame.includes('"user_left"'))).toBe(true));

    // a node that stopped without leaving: the sweep (REAP) of the live node takes its user offline
    const base = bus.names.presenceKeyBase;
    const batch = presenceScripts('SPUBLISH').batch;
    await admin.eval(batch, 1, `${base}presence:nodes`, base, 'dead-node', 200, bus.channel, '', '+', '42', 'bea');
    await vi.waitFor(
      // by its fields: the text of another frame (its timestamp) may contain "42" too
      () => expect(announced.map((frame) => JSON.parse(frame)).filter(isLeaveOf42)).toHaveLength(1),
      { timeout: 10_000 },
    );
    expect(await store.online()).toEqual([]);

    // resync: the node re-sends its membership (here: on leaving for good)
    expect(await store.add(user)).toBe(true);
    await store.close();
    expect(await admin.hlen(`${base}presence:online`)).toBe(0);
  });

  it("one user's join and leave keep their order from a store that has just connected", async () => {
    // a cluster client may reorder commands sent while its node connection is still opening
    for (let round = 0; round < 3; round++) {
      const store = await RedisPresenceStore.open({
        url: redisCluster!.url,
        keyPrefix: prefix,
        nodeId: `quick-${round}`,
        presenceTtlMs: 2_000,
        announceChannel: null,
      });
      stores.push(store);
      const user: PublicUser = { id: 500 + round, nickname: `q${round}` };
      const changes = [store.add(user), store.remove(user.id), store.add(user), store.remove(user.id)];
      await Promise.all(changes);
      expect(await store.onlineAmong([user.id])).toEqual(new Set());
    }
  });

  it('the rate limiter takes tokens on the cluster', async () => {
    const limiter = await RedisRateLimiter.connect(redisCluster!.url, { prefix: `${prefix}rate:` });
    try {
      const spec = { rate: 1, perMs: 60_000, burst: 2 };
      const decisions = [];
      for (let i = 0; i < 3; i++) decisions.push((await limiter.take('message:1', spec)).allowed);
      expect(decisions).toEqual([true, true, false]);
    } finally {
      await limiter.close();
    }
  });
});

describeWithServices(
  probe,
  'instances on a Redis Cluster subscribe to a room only while a socket of theirs follows it',
  () => {
    let server: TestApp;
    let room: string;
    let channel: string;

    beforeAll(async () => {
      useRedisCluster(redisCluster);
      server = await startClusterTestApp({ ADMIN_TOKEN: TEST_ADMIN_TOKEN, AUTH_REGISTER_RATE_PER_IP: 'off' });
      room = `sharded-${process.pid}`;
      channel = `${server.config.chat.redisKeyPrefix}fanout:room:{${room}}`;
    });
    afterAll(async () => {
      await server?.close();
      useRedisCluster(null);
    });

    const subscribed = async () => (await shardSubscribers(redisCluster!, channel)).reduce((a, b) => a + b, 0);

    it('first follower subscribes its instance, a second instance adds one, leaving and closing unsubscribe', async () => {
      const [alice, bob] = await Promise.all([registerAndLogin(server.baseUrl), registerAndLogin(server.baseUrl)]);
      await putRoom(server.baseUrl, room, { title: 'Sharded', members: [alice.id, bob.id] });
      // the proxy hands consecutive connections to consecutive instances
      const first = await TestSocket.connect(server.wsUrl, alice.cookie);
      const second = await TestSocket.connect(server.wsUrl, bob.cookie);
      try {
        expect(await subscribed()).toBe(0);
        first.send({ type: 'join', room });
        await first.nextOfType('joined');
        expect(await subscribed()).toBe(1);
        second.send({ type: 'join', room });
        await second.nextOfType('joined');
        expect(await subscribed()).toBe(2);

        // a message posted on one instance reaches the follower on the other through the shard
        second.send({ type: 'chat_message', room, content: 'through the shard' });
        await first.next((f) => f.type === 'chat_message' && f.content === 'through the shard');

        first.send({ type: 'leave', room });
        await first.nextOfType('left');
        await vi.waitFor(async () => expect(await subscribed()).toBe(1));
      } finally {
        await Promise.all([first.close(), second.close()]);
      }
      await vi.waitFor(async () => expect(await subscribed()).toBe(0));
    });
  },
);
