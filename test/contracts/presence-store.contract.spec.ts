import { Redis } from 'ioredis';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { PublicUser } from '../../src/chat/protocol/frames.js';
import { InMemoryPresenceStore } from '../../src/chat/presence/in-memory-presence.store.js';
import type { PresenceStore } from '../../src/chat/presence/presence.store.js';
import { RedisPresenceStore } from '../../src/chat/presence/redis-presence.store.js';
import { ONE_REDIS_SCRIPTS } from '../../src/chat/presence/redis-presence.scripts.js';
import { RedisFanoutBus } from '../../src/chat/fanout/redis-fanout.bus.js';
import type { FanoutEnvelope } from '../../src/chat/fanout/fanout.bus.js';
import {
  ALWAYS,
  deleteRedisKeys,
  describeWithServices,
  requireServices,
  TEST_REDIS_URL,
  testNamespace,
} from '../support/services.js';
import { openForEachTest, twoRedisNodes } from '../support/contract-subjects.js';

const services = await requireServices('redis');

const ann: PublicUser = { id: 1, nickname: 'ann' };
const ben: PublicUser = { id: 2, nickname: 'ben' };
const cat: PublicUser = { id: 3, nickname: 'cat' };

/** Two nodes of one cluster (one object where the store is in-process). */
interface PresenceSubject {
  name: string;
  open(): Promise<{ node1: PresenceStore; node2: PresenceStore; cleanup(): Promise<void> }>;
}

const inMemory: PresenceSubject = {
  name: 'InMemoryPresenceStore',
  open: async () => {
    const store = new InMemoryPresenceStore();
    return { node1: store, node2: store, cleanup: () => store.close() };
  },
};

function redisStore(prefix: string, nodeId: string, presenceTtlMs = 20_000): Promise<RedisPresenceStore> {
  return RedisPresenceStore.open({
    url: TEST_REDIS_URL,
    keyPrefix: prefix,
    nodeId,
    presenceTtlMs,
    announceChannel: null,
  });
}

const redis: PresenceSubject = {
  name: 'RedisPresenceStore',
  open: () => twoRedisNodes(redisStore),
};

for (const subject of [inMemory, redis])
  describeWithServices(subject === redis ? services : ALWAYS, `PresenceStore contract: ${subject.name}`, () => {
    let node1: PresenceStore;
    let node2: PresenceStore;
    openForEachTest(subject.open, (opened) => ({ node1, node2 } = opened));

    it('reports only cluster-wide offline↔online changes', async () => {
      expect(await node1.add(ann)).toBe(true);
      expect(await node2.add(ann)).toBe(false);
      expect(await node1.remove(ann.id)).toBe(false);
      expect(await node1.add(ann)).toBe(false);
      expect(await node1.remove(ann.id)).toBe(false);
      expect(await node2.remove(ann.id)).toBe(true);
      expect(await node2.remove(ann.id)).toBe(false);
      expect(await node1.add(ann)).toBe(true);
    });

    it('lists every online user once, by id, and answers which of some ids are online', async () => {
      await node2.add(cat);
      await node1.add(ann);
      await node2.add(ann);
      await node1.add(ben);
      await node1.remove(ben.id);
      expect(await node1.online()).toEqual([ann, cat]);
      expect(await node2.online()).toEqual([ann, cat]);
      expect(await node2.onlineAmong([ben.id, cat.id, 99])).toEqual(new Set([cat.id]));
      expect(await node1.onlineAmong([])).toEqual(new Set());
    });
  });

describeWithServices(services, 'RedisPresenceStore across nodes that die', () => {
  const TTL_MS = 1_000;
  let prefix: string;
  let admin: Redis;
  const stores: RedisPresenceStore[] = [];

  async function node(id: string): Promise<RedisPresenceStore> {
    const store = await redisStore(prefix, id, TTL_MS);
    stores.push(store);
    return store;
  }

  function collect(store: PresenceStore, event: 'onVanished' | 'onRestored'): PublicUser[][] {
    const calls: PublicUser[][] = [];
    store[event]((users) => calls.push(users));
    return calls;
  }

  async function until(condition: () => boolean, timeoutMs: number): Promise<number> {
    const started = Date.now();
    while (!condition()) {
      if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return Date.now() - started;
  }

  beforeEach(() => {
    prefix = `${testNamespace()}:`;
    admin = new Redis(TEST_REDIS_URL);
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    admin.disconnect();
    await deleteRedisKeys(prefix);
  });

  it('has exactly one live node report the users of a dead node, within the bound, unless present elsewhere', async () => {
    const live1 = await node('live-1');
    const live2 = await node('live-2');
    const vanished = [collect(live1, 'onVanished'), collect(live2, 'onVanished')];
    expect(await live1.add(cat)).toBe(true);
    // a node that registers ann and cat, then stops without a word (its heartbeat never comes)
    const started = Date.now();
    for (const user of [ann, cat])
      await admin.eval(
        ONE_REDIS_SCRIPTS.batch,
        0,
        prefix,
        'dead-node',
        200,
        '',
        '',
        '+',
        String(user.id),
        user.nickname,
      );
    expect(await live2.onlineAmong([ann.id, cat.id])).toEqual(new Set([ann.id, cat.id]));
    await until(() => vanished.flat().length > 0, 2 * TTL_MS);
    const elapsed = Date.now() - started;
    await live1.add(ben); // a round trip after the report, through the same connection order
    expect(vanished.flat()).toEqual([[ann]]);
    expect(elapsed).toBeLessThan(TTL_MS);
    expect(await live1.online()).toEqual([ben, cat]);
  });

  it('re-registers the users of a living node that was declared dead, and reports them back online', async () => {
    const victim = await node('victim');
    const other = await node('other');
    const restored = collect(victim, 'onRestored');
    // whichever node sweeps first declares the victim dead: the victim itself may, too
    const vanished = [collect(other, 'onVanished'), collect(victim, 'onVanished')];
    expect(await victim.add(ann)).toBe(true);
    // the victim's deadline passes (as after a long pause of the victim): set again until a
    // sweep reaps it, since its own heartbeat may move the deadline forward in between
    // (`XX`: a node already reaped is not registered again)
    const started = Date.now();
    while (vanished.flat().length === 0) {
      if (Date.now() - started > 2 * TTL_MS) throw new Error('the victim was not declared dead');
      await admin.zadd(`${prefix}presence:nodes`, 'XX', 0, 'victim');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(vanished.flat()).toEqual([[ann]]);
    await until(() => restored.length > 0, 2 * TTL_MS);
    expect(restored).toEqual([[ann]]);
    expect(await other.online()).toEqual([ann]);
    expect(await victim.remove(ann.id)).toBe(true);
  });

  it('reports the users it still holds as gone when it closes', async () => {
    const leaving = await node('leaving');
    const staying = await node('staying');
    const vanished = collect(leaving, 'onVanished');
    await leaving.add(ann);
    await leaving.add(ben);
    await staying.add(ben);
    await leaving.close();
    expect(vanished).toEqual([[ann]]);
    expect(await staying.online()).toEqual([ben]);
  });
  it('with an announce channel, publishes each change once, in the order the changes happened on any node', async () => {
    const bus = await RedisFanoutBus.open({ url: TEST_REDIS_URL, keyPrefix: prefix, nodeId: 'listener' });
    const got: FanoutEnvelope[] = [];
    bus.subscribe((envelope) => got.push(envelope));
    try {
      const open = (id: string) =>
        RedisPresenceStore.open({
          url: TEST_REDIS_URL,
          keyPrefix: prefix,
          nodeId: id,
          presenceTtlMs: TTL_MS,
          announceChannel: bus.channel,
        });
      const [n1, n2] = await Promise.all([open('n1'), open('n2')]);
      stores.push(n1, n2);
      expect(n1.announcesChanges).toBe(true);
      const reported = collect(n1, 'onVanished');
      expect(await n1.add(ann)).toBe(true);
      expect(await n2.add(ann)).toBe(false);
      expect(await n1.remove(ann.id)).toBe(false);
      expect(await n2.remove(ann.id)).toBe(true);
      expect(await n1.add(ann)).toBe(true);
      await until(() => got.length >= 3, 2_000);
      await n2.add(ben); // a fourth, so that nothing else is still on its way
      await until(() => got.length >= 4, 2_000);
      const frames = got.map((e) => (e.kind === 'everyone' ? JSON.parse(e.frame) : e));
      expect(frames.map((f) => [f.type, f.user_id])).toEqual([
        ['user_joined', ann.id],
        ['user_left', ann.id],
        ['user_joined', ann.id],
        ['user_joined', ben.id],
      ]);
      expect(frames[0]).toEqual({
        type: 'user_joined',
        user_id: ann.id,
        nickname: 'ann',
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
      expect(reported).toEqual([]);
    } finally {
      await bus.close();
    }
  });
});
