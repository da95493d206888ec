import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import {
  describeWithServices,
  requireServices,
  TEST_REDIS_URL,
  testNamespace,
} from '../../../test/support/services.js';
import type { FanoutBus } from '../fanout/fanout.bus.js';
import { InMemoryFanoutBus } from '../fanout/in-memory-fanout.bus.js';
import { RedisFanoutBus } from '../fanout/redis-fanout.bus.js';
import { KnownAbsences } from './known-absences.js';
import { ModerationReadsCache } from './moderation-reads.cache.js';

const redisProbe = await requireServices('redis');

describe('KnownAbsences', () => {
  it('remembers an empty read for its time to live, and only when nothing was forgotten while it ran', () => {
    let now = 1_000;
    const absences = new KnownAbsences(100, 10, () => now);
    const ticket = absences.ticket();
    absences.remember(1, ticket);
    expect(absences.has(1)).toBe(true);
    now += 99;
    expect(absences.has(1)).toBe(true);
    now += 1;
    expect(absences.has(1)).toBe(false);

    const before = absences.ticket();
    absences.forget(2); // a change arrived while a read of user 1 ran
    absences.remember(1, before);
    expect(absences.has(1)).toBe(false);
    absences.remember(1, absences.ticket());
    expect(absences.has(1)).toBe(true);
    absences.clear();
    expect(absences.has(1)).toBe(false);
  });

  it('drops the entries past their time to live as later ones are remembered (no set keeps stale reads)', () => {
    let now = 0;
    const absences = new KnownAbsences(100, 1_000, () => now);
    for (let id = 1; id <= 50; id++) absences.remember(id, absences.ticket());
    now += 60;
    absences.remember(51, absences.ticket());
    expect(absences.size).toBe(51);
    now += 40;
    absences.remember(52, absences.ticket());
    expect(absences.size).toBe(2);
    expect([1, 50, 51, 52].map((id) => absences.has(id))).toEqual([false, false, true, true]);
  });

  it('keeps at most its number of entries, dropping the oldest', () => {
    const absences = new KnownAbsences(60_000, 2);
    for (const id of [1, 2, 3]) absences.remember(id, absences.ticket());
    expect([1, 2, 3].map((id) => absences.has(id))).toEqual([false, true, true]);
    expect(absences.size).toBe(2);
  });
});

describe('ModerationReadsCache', () => {
  const caches: ModerationReadsCache[] = [];
  const start = (bus: FanoutBus) => {
    const cache = new ModerationReadsCache(bus);
    cache.onModuleInit();
    caches.push(cache);
    return cache;
  };
  const rememberAll = (cache: ModerationReadsCache, ...ids: number[]) => {
    for (const id of ids) {
      cache.usersBlockingNobody().remember(id, cache.usersBlockingNobody().ticket());
      cache.usersUnmutedIn('lobby').remember(id, cache.usersUnmutedIn('lobby').ticket());
      cache.usersUnmutedIn('r1').remember(id, cache.usersUnmutedIn('r1').ticket());
    }
  };
  afterEach(() => {
    for (const cache of caches.splice(0)) cache.onModuleDestroy();
  });

  it('forgets a user on every instance when a blocks or muted notice to that user passes on the bus', async () => {
    const bus = new InMemoryFanoutBus();
    const [a, b] = [start(bus), start(bus)];
    for (const cache of [a, b]) rememberAll(cache, 1, 2);

    await bus.publish({ kind: 'users', userIds: [1], frame: JSON.stringify({ type: 'blocks', user_ids: [7] }) });
    for (const cache of [a, b]) {
      expect(cache.usersBlockingNobody().has(1)).toBe(false);
      expect(cache.usersBlockingNobody().has(2)).toBe(true);
      expect(cache.usersUnmutedIn('lobby').has(1)).toBe(true);
    }

    const muted = { type: 'muted', room: 'r1', user_id: 2, until: null, remaining_ms: null };
    await bus.publish({ kind: 'users', userIds: [2], frame: JSON.stringify(muted) });
    for (const cache of [a, b]) {
      expect(cache.usersUnmutedIn('lobby').has(2)).toBe(false);
      expect(cache.usersUnmutedIn('r1').has(2)).toBe(false);
      expect(cache.usersUnmutedIn('r1').has(1)).toBe(true);
    }

    // other frames to the user change nothing
    await bus.publish({
      kind: 'users',
      userIds: [1],
      frame: JSON.stringify({ type: 'unmuted', room: 'r1', user_id: 1 }),
    });
    await bus.publish({ kind: 'everyone', frame: JSON.stringify({ type: 'blocks', user_ids: [] }) });
    expect(a.usersUnmutedIn('r1').has(1)).toBe(true);
    expect(a.usersBlockingNobody().has(2)).toBe(true);
  });

  it('forgets a user muted by this instance at once, before the notice travels', () => {
    const cache = start(new InMemoryFanoutBus());
    rememberAll(cache, 1);
    cache.muted('lobby', 1);
    expect(cache.usersUnmutedIn('lobby').has(1)).toBe(false);
    expect(cache.usersUnmutedIn('r1').has(1)).toBe(true);
  });

  describeWithServices(redisProbe, 'on a Redis bus', () => {
    it('forgets everyone after the bus lost its connection (notices may have been lost meanwhile)', async () => {
      const prefix = `${testNamespace()}:`;
      const bus = await RedisFanoutBus.open({ url: TEST_REDIS_URL, keyPrefix: prefix, nodeId: 'n1' });
      const admin = new Redis(TEST_REDIS_URL);
      try {
        const cache = start(bus);
        rememberAll(cache, 1, 2);
        expect(cache.usersBlockingNobody().has(1)).toBe(true);
        const clients = String(await admin.client('LIST')).split('\n');
        const ids = clients.filter((line) => line.includes(` name=${prefix}`)).map((line) => /id=(\d+)/.exec(line)![1]);
        expect(ids.length).toBeGreaterThan(0);
        for (const id of ids) await admin.client('KILL', 'ID', id);
        while (bus.outages() === 0) await new Promise((resolve) => setTimeout(resolve, 10));
        expect(cache.usersBlockingNobody().has(1)).toBe(false);
        expect(cache.usersUnmutedIn('lobby').has(2)).toBe(false);
        expect(cache.usersUnmutedIn('r1').has(2)).toBe(false);
      } finally {
        admin.disconnect();
        await bus.close();
      }
    });

    it('keeps nothing read while its subscription was down: a notice published meanwhile is lost', async () => {
      const prefix = `${testNamespace()}:`;
      const here = await RedisFanoutBus.open({ url: TEST_REDIS_URL, keyPrefix: prefix, nodeId: 'n1' });
      const there = await RedisFanoutBus.open({ url: TEST_REDIS_URL, keyPrefix: prefix, nodeId: 'n2' });
      const admin = new Redis(TEST_REDIS_URL);
      try {
        const cache = start(here);
        const clients = String(await admin.client('LIST')).split('\n');
        const subscriber = clients.find((line) => line.includes(` name=${prefix}bus-sub:n1`));
        await admin.client('KILL', 'ID', /id=(\d+)/.exec(subscriber!)![1]);
        while (here.outages() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
        // a connect here reads user 1 as blocking nobody while the subscription is down …
        const blockingNobody = cache.usersBlockingNobody();
        blockingNobody.remember(1, blockingNobody.ticket());
        // … and user 1's block, stored on the other instance, is announced before it is back
        await there.publish({ kind: 'users', userIds: [1], frame: JSON.stringify({ type: 'blocks', user_ids: [7] }) });
        while (!here.isHealthy()) await new Promise((resolve) => setTimeout(resolve, 10));
        expect(cache.usersBlockingNobody().has(1)).toBe(false);
      } finally {
        admin.disconnect();
        await Promise.all([here.close(), there.close()]);
      }
    });
  });
});
