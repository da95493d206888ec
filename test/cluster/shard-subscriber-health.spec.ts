import { Cluster } from 'ioredis';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { redisKeySlot } from '../../src/drivers/redis-key-slot.js';
import type { FanoutEnvelope } from '../../src/chat/fanout/fanout.bus.js';
import { RedisFanoutBus } from '../../src/chat/fanout/redis-fanout.bus.js';
import { requireLocalRedisCluster } from '../support/cluster-redis.js';
import { describeWithServices, requireServices, testNamespace } from '../support/services.js';

const services = await requireServices('redis');
const started = services.available ? await requireLocalRedisCluster() : null;
const probe = started?.probe ?? services;
const redisCluster = started?.cluster ?? null;

afterAll(async () => {
  await redisCluster?.stop();
});

describeWithServices(probe, 'fan-out health on a three-master Redis Cluster', () => {
  let admin: Cluster;
  let bus: RedisFanoutBus;
  const received: FanoutEnvelope[] = [];

  /** The port of the master serving `name`'s slot, as the cluster itself says. */
  async function masterPortOf(name: string): Promise<number> {
    const slot = Number(await admin.call('CLUSTER', 'KEYSLOT', name));
    const ranges = (await admin.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number]]>;
    return ranges.find(([from, to]) => slot >= from && slot <= to)![2][1];
  }

  const master = (port: number) => admin.nodes('master').find((node) => node.options.port === port)!;

  beforeAll(async () => {
    admin = new Cluster(redisCluster!.ports.map((port) => ({ host: '127.0.0.1', port })));
    bus = await RedisFanoutBus.open({ url: redisCluster!.url, keyPrefix: `${testNamespace()}:`, nodeId: 'n1' });
    bus.subscribe((envelope) => received.push(envelope));
  });
  afterAll(async () => {
    await bus?.close();
    admin?.disconnect();
  });

  it('computes the slot of a name as CLUSTER KEYSLOT does', async () => {
    for (const name of ['plain', 'a{tag}b', '{}x', 'x{}y{z}', 'fc:fanout:room:{Zoë-😀}', '{chat}:fanout', 'x{', '']) {
      expect(redisKeySlot(name), name).toBe(Number(await admin.call('CLUSTER', 'KEYSLOT', name)));
    }
  });

  it('reports unhealthy while the subscription on one master is down, and healthy once it is back', async () => {
    // one followed room on every master
    const shared = await masterPortOf(bus.channel);
    const roomOn = new Map<number, string>();
    for (let i = 0; roomOn.size < redisCluster!.ports.length; i++) {
      const room = `health-${i}`;
      const port = await masterPortOf(bus.names.room(room));
      if (!roomOn.has(port)) roomOn.set(port, room);
    }
    for (const room of roomOn.values()) await bus.watchRoom(room);
    await vi.waitFor(() => expect(bus.isHealthy()).toBe(true), { timeout: 10_000 });

    // a master that serves a followed room but not the shared channel loses this node's
    // subscription and refuses new connections for a while
    const port = [...roomOn.keys()].find((p) => p !== shared)!;
    const room = roomOn.get(port)!;
    await master(port).config('SET', 'maxclients', '1');
    try {
      await master(port).call('CLIENT', 'KILL', 'TYPE', 'pubsub');
      await vi.waitFor(() => expect(bus.isHealthy()).toBe(false), { timeout: 10_000 });
    } finally {
      await master(port).config('SET', 'maxclients', '10000');
    }
    await vi.waitFor(() => expect(bus.isHealthy()).toBe(true), { timeout: 20_000 });

    // and the room's traffic arrives again
    const frame = JSON.stringify({ type: 'probe-check', n: 1 });
    await vi.waitFor(
      async () => {
        await bus.publish({ kind: 'room', room, frame });
        expect(received.some((e) => e.kind === 'room' && e.frame === frame)).toBe(true);
      },
      { timeout: 10_000, interval: 500 },
    );
  });
});
