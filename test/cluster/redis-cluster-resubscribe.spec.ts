import { Cluster } from 'ioredis';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { FanoutEnvelope } from '../../src/chat/fanout/fanout.bus.js';
import { RedisFanoutBus } from '../../src/chat/fanout/redis-fanout.bus.js';
import { requireLocalRedisCluster } from '../support/cluster-redis.js';
import { describeWithServices, requireClusterServices, testNamespace } from '../support/services.js';

const services = await requireClusterServices();
const started = services.available ? await requireLocalRedisCluster() : null;
const probe = started?.probe ?? services;
const redisCluster = started?.cluster ?? null;

describeWithServices(probe, 'sharded fan-out after its subscriber connections drop', () => {
  let admin: Cluster;
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
    admin = new Cluster(redisCluster!.ports.map((port) => ({ host: '127.0.0.1', port })));
  });
  afterAll(async () => {
    for (const bus of buses) await bus.close();
    admin?.disconnect();
    await redisCluster?.stop();
  });

  it('a room followed before every pub/sub connection was killed is received again, as is the shared channel', async () => {
    const follower = await node('follower');
    const other = await node('other');
    await follower.watchRoom('staff');
    // every master drops its pub/sub clients (a network blip, a master restarted)
    let killed = 0;
    for (const master of admin.nodes('master')) killed += Number(await master.call('CLIENT', 'KILL', 'TYPE', 'pubsub'));
    expect(killed).toBeGreaterThanOrEqual(2); // the follower's and the other node's subscriptions at least

    const frame = JSON.stringify({ type: 'typing', room: 'staff', user_id: 1, nickname: 'a', active: true });
    let sent = 0;
    await vi.waitFor(
      async () => {
        sent += 1;
        await other.publish({ kind: 'room', room: 'staff', frame }).catch(() => undefined);
        await other.publish({ kind: 'everyone', frame: `{"type":"sentinel","n":${sent}}` }).catch(() => undefined);
        const kinds = new Set(received.get(follower)!.map((e) => e.kind));
        expect(kinds).toEqual(new Set(['room', 'everyone']));
      },
      { timeout: 15_000, interval: 250 },
    );
    expect(follower.watchedRooms()).toEqual(['staff']);

    // the last follower leaving still releases the shard channel after the resubscription
    follower.unwatchRoom('staff');
    await vi.waitFor(async () => {
      const counts = await Promise.all(
        admin.nodes('master').map(async (master) => {
          const [, count] = (await master.call('PUBSUB', 'SHARDNUMSUB', follower.names.room('staff'))) as [
            string,
            number,
          ];
          return Number(count);
        }),
      );
      expect(counts).toEqual([0, 0, 0]);
    });
  });
});
