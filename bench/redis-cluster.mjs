// One Redis against a three-master Redis Cluster, side by side in one run.
//
//   npm run build && node bench/redis-cluster.mjs [messages=20000] [changes=400]
//
// Starts its own redis-server twice on free ports (one server; three masters in cluster
// mode, Debian's redis-server ≥ 7), so INFO counts only this run's commands, and measures
// on each, with the real `RedisFanoutBus` and `RedisPresenceStore` of dist/:
// 1. fan-out: one node publishes `messages` room envelopes (a 200-byte frame, 30 rooms,
//    64 publishes in flight) and two other nodes, each following every room, receive them;
//    reported: envelopes/s until both received the last, and the publish commands used;
// 2. presence: three nodes (the bus of each subscribed, as in a deployment); `changes`
//    users come online and go offline on one node, first with nobody else online, then with
//    2,000 users already online; reported per change: Redis commands (INFO commandstats,
//    summed over the servers) and bytes in and out of Redis (INFO stats; the same INFO
//    calls over an idle moment are subtracted). Equal figures at 0 and 2,000 online users
//    are what "O(1) per change" means. A third round issues all the adds at once, then all
//    the removes (a storm), which the store sends in batches.
// Prints the command line, the load average and the machine with the figures. Not a test.
import 'reflect-metadata';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { RedisFanoutBus } from '../dist/chat/fanout/redis-fanout.bus.js';
import { RedisPresenceStore } from '../dist/chat/presence/redis-presence.store.js';
import { counterDelta, redisCounters, startRedisCluster, startSingleRedis } from '../scripts/local-redis.mjs';
import { describeMachine } from './lib/machine.mjs';

const MESSAGES = Number(process.argv[2] ?? 20_000);
const CHANGES = Number(process.argv[3] ?? 400);
const ROOMS = Array.from({ length: 30 }, (_, i) => `room-${i}`);
const IN_FLIGHT = 64;
const ALREADY_ONLINE = 2_000;
const FRAME = JSON.stringify({
  type: 'chat_message',
  room: 'x',
  id: 1,
  content: 'x'.repeat(120),
  ts: new Date().toISOString(),
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {string} url @param {string} prefix */
async function fanout(url, prefix) {
  const publisher = await RedisFanoutBus.open({ url, keyPrefix: prefix, nodeId: 'pub' });
  const receivers = await Promise.all(
    ['r1', 'r2'].map((nodeId) => RedisFanoutBus.open({ url, keyPrefix: prefix, nodeId })),
  );
  let received = 0;
  let done = () => {};
  const all = new Promise((resolve) => (done = resolve));
  for (const bus of receivers) {
    await Promise.all(ROOMS.map((room) => bus.watchRoom(room)));
    bus.subscribe(() => {
      if (++received === MESSAGES * receivers.length) done();
    });
  }
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < MESSAGES) {
        const i = next++;
        await publisher.publish({ kind: 'room', room: ROOMS[i % ROOMS.length], frame: FRAME });
      }
    }),
  );
  await all;
  const seconds = (performance.now() - started) / 1000;
  for (const bus of [publisher, ...receivers]) await bus.close();
  return { perSecond: MESSAGES / seconds, seconds };
}

/** @param {import('../scripts/local-redis.mjs').LocalRedis} redis @param {string} prefix */
async function presence(redis, prefix) {
  const buses = await Promise.all(
    ['a', 'b', 'c'].map((nodeId) => RedisFanoutBus.open({ url: redis.url, keyPrefix: prefix, nodeId })),
  );
  const stores = await Promise.all(
    buses.map((bus, i) =>
      RedisPresenceStore.open({
        url: redis.url,
        keyPrefix: prefix,
        nodeId: ['a', 'b', 'c'][i],
        presenceTtlMs: 60_000,
        announceChannel: bus.channel,
      }),
    ),
  );
  const announcements = [0, 0, 0];
  buses.forEach((bus, i) => bus.subscribe(() => announcements[i]++));
  const [store, other] = stores;

  const idle = async () => {
    const before = await redisCounters(redis);
    return counterDelta(before, await redisCounters(redis));
  };
  /** `burst`: every add issued at once, then every remove (a storm); else one after the other. */
  const round = async (firstId, burst = false) => {
    const overhead = await idle();
    const heard = announcements[2];
    const before = await redisCounters(redis);
    const ids = Array.from({ length: CHANGES }, (_, i) => firstId + i);
    if (burst) {
      await Promise.all(ids.map((id) => store.add({ id, nickname: `u${id}` })));
      await Promise.all(ids.map((id) => store.remove(id)));
    } else {
      for (const id of ids) await store.add({ id, nickname: `u${id}` });
      for (const id of ids) await store.remove(id);
    }
    while (announcements[2] - heard < 2 * CHANGES) await sleep(10);
    const delta = counterDelta(before, await redisCounters(redis));
    const changes = 2 * CHANGES;
    const commands = Object.entries(delta.calls)
      .filter(([command]) => !/^(ping|hello|client\||cluster\||script\|)/.test(command))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([command, count]) => `${command} ${(count / changes).toFixed(2)}`)
      .join(', ');
    return {
      commands,
      bytesIn: (delta.netIn - overhead.netIn) / changes,
      bytesOut: (delta.netOut - overhead.netOut) / changes,
    };
  };

  const empty = await round(1_000_000);
  for (let i = 0; i < ALREADY_ONLINE; i++) await other.add({ id: 2_000_000 + i, nickname: `o${i}` });
  const crowded = await round(3_000_000);
  const burst = await round(4_000_000, true);
  for (const s of stores) await s.close();
  for (const bus of buses) await bus.close();
  return { empty, crowded, burst };
}

console.log(`$ node bench/redis-cluster.mjs ${MESSAGES} ${CHANGES}`);
console.log(describeMachine());
const results = [];
for (const [name, start] of [
  ['one Redis', startSingleRedis],
  ['Redis Cluster, 3 masters', startRedisCluster],
]) {
  const redis = await start();
  try {
    const load = os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
    const prefix = `bench:`;
    const fan = await fanout(redis.url, prefix);
    const pres = await presence(redis, prefix);
    results.push({ name, load, fan, pres });
  } finally {
    await redis.stop();
  }
}

console.log(
  '\n| Redis | load average at start | room fan-out, envelopes/s (2 receiving nodes) | per presence change, 0 others online | per presence change, 2,000 online | per change, all issued at once, 2,000 online |',
);
console.log('|---|---|---|---|---|---|');
for (const { name, load, fan, pres } of results) {
  const show = (p) => `${p.commands}; ${Math.round(p.bytesIn)} B in, ${Math.round(p.bytesOut)} B out`;
  console.log(
    `| ${name} | ${load} | ${Math.round(fan.perSecond)} | ${show(pres.empty)} | ${show(pres.crowded)} | ${show(pres.burst)} |`,
  );
}
console.log(
  `\nload average at end: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
process.exit(0);
