import { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { type LocalRedis, startSingleRedis } from '../../scripts/local-redis.mjs';
import { RedisFanoutBus } from '../../src/chat/fanout/redis-fanout.bus.js';
import type { PresenceChangeFrame } from '../../src/chat/protocol/frames.js';
import { RedisPresenceStore } from '../../src/chat/presence/redis-presence.store.js';
import { describeWithServices, requireServices, testNamespace } from '../support/services.js';

const redis = await requireServices('redis');
const user = (id: number) => ({ id, nickname: `u${id}` });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Holds the server busy for `ms` (a script runs alone): commands sent meanwhile wait in their sockets. */
const BUSY_LUA = `local t = redis.call('TIME') local until_us = t[1] * 1e6 + t[2] + ARGV[1] * 1000
repeat t = redis.call('TIME') until t[1] * 1e6 + t[2] >= until_us return 1`;

describeWithServices(redis, 'a presence batch whose connection is lost on its way (private redis-server)', () => {
  let local: LocalRedis;
  let prefix: string;
  let bus: RedisFanoutBus;
  let store: RedisPresenceStore;
  let admin: Redis;
  let busy: Redis;
  const frames: PresenceChangeFrame[] = [];

  beforeAll(async () => {
    local = await startSingleRedis(); // the test holds its server busy: never the shared one
    prefix = `${testNamespace()}:`;
    admin = new Redis(local.url);
    busy = new Redis(local.url);
    bus = await RedisFanoutBus.open({ url: local.url, keyPrefix: prefix, nodeId: 'listener' });
    bus.subscribe((envelope) => {
      if (envelope.kind === 'everyone') frames.push(JSON.parse(envelope.frame) as PresenceChangeFrame);
    });
    store = await RedisPresenceStore.open({
      url: local.url,
      keyPrefix: prefix,
      nodeId: 'n1',
      presenceTtlMs: 20_000,
      announceChannel: bus.channel,
    });
  });
  afterAll(async () => {
    await store?.close();
    await bus?.close();
    admin?.disconnect();
    busy?.disconnect();
    await local?.stop();
  });

  /** The id of the store's own connection, as CLIENT LIST shows it by its name. */
  async function storeConnectionId(): Promise<string> {
    const list = (await admin.client('LIST')) as string;
    const line = list.split('\n').find((entry) => entry.includes(` name=${prefix}presence:n1 `));
    const id = /(?:^|\s)id=(\d+)/.exec(line ?? '')?.[1];
    expect(id, 'the store connection is listed').toBeDefined();
    return id!;
  }

  it('ends with the exact membership and each user announced alternately joined and left, once per change', async () => {
    const connectionId = await storeConnectionId();
    // the server is busy while the batch and the kill of its connection arrive: the kill is
    // read in the same round as the batch, before it or right after it (its answer lost)
    const busyFor = busy.eval(BUSY_LUA, 0, 1_000);
    await sleep(50);
    const firstWave = Promise.all(range(1, 60).map((id) => store.add(user(id))));
    await sleep(50);
    const killed = admin.client('KILL', 'ID', connectionId);
    await Promise.all([busyFor, killed]);
    const answered = await firstWave;
    expect(answered.filter(Boolean), 'no change of the first wave was answered as made').toEqual([]);
    // changes made during the outage: some users leave, others come
    await Promise.all([
      ...range(1, 20).map((id) => store.remove(id)),
      ...range(61, 80).map((id) => store.add(user(id))),
    ]);
    const expected = range(21, 80);
    await vi.waitFor(
      async () =>
        expect((await admin.hkeys(`${prefix}presence:online`)).map(Number).sort((a, b) => a - b)).toEqual(expected),
      { timeout: 10_000, interval: 100 },
    );
    // the announcements say the same: per user, joined/left alternating from joined, ending in the final state
    await vi.waitFor(
      () => {
        const byUser = new Map<number, string[]>();
        for (const frame of frames) byUser.set(frame.user_id, [...(byUser.get(frame.user_id) ?? []), frame.type]);
        for (const id of range(1, 80)) {
          const types = byUser.get(id) ?? [];
          types.forEach((type, i) =>
            expect(type, `user ${id}: ${types.join(',')}`).toBe(i % 2 === 0 ? 'user_joined' : 'user_left'),
          );
          expect(types.length % 2, `user ${id} ends ${expected.includes(id) ? 'online' : 'offline'}`).toBe(
            expected.includes(id) ? 1 : 0,
          );
        }
      },
      { timeout: 10_000, interval: 100 },
    );
  });
});
