// A reconnect storm spread over three instances: one Redis against a three-master Redis
// Cluster, and one instance for comparison, side by side in one run.
//
//   npm run build && node bench/cluster-storm.mjs [users=1000] [--builds=name=dir,…] [--setups=1,3,3c]
//
// --builds runs every set-up once per build, one after the other, so that two builds are
// compared in one run on one machine (e.g. `--builds=old=/tmp/old/dist,new=dist`; default:
// `dist`); --setups picks set-ups: `1` one instance on one Redis, `3` three instances on
// one Redis, `3c` three instances on a three-master Redis Cluster (default these three), and
// `1of3` (`1of3c` on the Redis Cluster) one instance of three: it gets a third of the
// sockets, and the other two thirds of the users come online through two simulated
// instances (the real presence store of dist/, one user added per socket the real instance
// accepts, in step with it), so that the one instance does what each of three does on hosts
// of their own — its third of the handshakes and every user's presence — without two more
// instances on the same cores.
// CPU_PROFILE_DIR=dir starts the instances with `--cpu-prof --cpu-prof-dir=dir`.
//
// Mints `users` accounts and sessions once in a fresh PostgreSQL schema (straight in the
// forum's stores, no password hashing; `TEST_DATABASE_URL` or the local `test` database),
// then for each set-up starts its own redis-server (one server, or three masters in cluster
// mode, on free ports) and `node dist/main.js` instances (1 or 3) on that schema, and opens
// one socket per user at once (128 handshakes in flight, round-robin over the instances),
// each negotiating `presence_changes` and sending `resume` on open, as scenario (g) does.
// Measured: seconds until every socket knows that `users` users are online (the `count` of
// its latest `online_page`/`presence` frame) and got its `resumed`; frames per client; the
// instances' CPU; Redis commands and bytes per user who came online (INFO over all
// servers); and PostgreSQL queries per user (the instances' driver calls, counted by
// `lib/pg-query-counter.mjs`). Prints the command, the load average and the machine. Not a test.
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import WebSocket from 'ws';
import { createApp } from '../dist/create-app.js';
import { loadConfig } from '../dist/config/app-config.js';
import { UserStore } from '../dist/forum/users/user.store.js';
import { SessionStore } from '../dist/forum/sessions/session.store.js';
import { newSessionToken, sessionKeyOf } from '../dist/forum/sessions/session-token.js';
import { freePort } from './lib/free-port.mjs';
import { counterDelta, redisCounters, startRedisCluster, startSingleRedis } from '../scripts/local-redis.mjs';
import { describeMachine } from './lib/machine.mjs';
import { cpuSplit } from './lib/proc-stat.mjs';
import { RedisChannels } from '../dist/chat/fanout/redis-channels.js';
import { RedisPresenceStore } from '../dist/chat/presence/redis-presence.store.js';
import { isRedisClusterUrl } from '../dist/drivers/redis-url.js';
import { countedQueries } from './lib/pg-query-counter.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const positional = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const option = (name, fallback) =>
  process.argv
    .slice(2)
    .find((arg) => arg.startsWith(`--${name}=`))
    ?.slice(name.length + 3) ?? fallback;
const USERS = Number(positional[0] ?? 1_000);
/** Builds to compare: name → dist directory. */
const BUILDS = option('builds', 'dist')
  .split(',')
  .map((entry) => {
    const [name, dir] = entry.includes('=') ? entry.split('=') : [entry, entry];
    return { name, dist: dir.startsWith('/') ? dir : join(root, dir) };
  });
const SETUPS = option('setups', '1,3,3c').split(',');
const CPU_PROFILE_DIR = process.env.CPU_PROFILE_DIR ?? null;
process.setMaxListeners(50); // one exit hook per child process
const IN_FLIGHT = 128;
const SETTLE_TIMEOUT_MS = 120_000;
const postgres = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `fc_bench_storm_${process.pid}`;
const databaseUrl = (() => {
  const url = new URL(postgres);
  url.searchParams.set('schema', schema);
  return url.toString();
})();
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Users and sessions minted once in the schema: the users, and the cookies of their sessions. */
async function mintUsers(redisUrl) {
  const app = await createApp(
    loadConfig({ DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, CHAT_REDIS_PREFIX: 'mint:' }),
    {
      logger: false,
    },
  );
  const users = app.get(UserStore);
  const sessions = app.get(SessionStore);
  const cookies = [];
  const minted = [];
  for (let i = 0; i < USERS; i++) {
    const user = await users.create({ nickname: `cs${String(i).padStart(5, '0')}`, email: null, passwordHash: 'x' });
    const token = newSessionToken();
    await sessions.create({ key: sessionKeyOf(token), userId: user.id, expiresAt: Date.now() + 3_600_000 });
    cookies.push(`session_id=${token}`);
    minted.push({ id: user.id, nickname: user.nickname });
  }
  await app.close();
  return { cookies, users: minted };
}

/** `node dist/main.js` on a free port; resolves once `/health` answers 200. */
async function startInstance(dist, redisUrl, prefix) {
  const port = await freePort();
  const profile = CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROFILE_DIR}`] : [];
  const queryCountFile = join(os.tmpdir(), `fc-storm-pg-queries-${process.pid}-${port}`);
  const counter = ['--import', join(root, 'bench/lib/pg-query-counter.mjs')];
  const child = spawn(process.execPath, [...profile, ...counter, join(dist, 'main.js')], {
    env: {
      ...process.env,
      PG_QUERY_COUNT_FILE: queryCountFile,
      PG_QUERY_COUNT_FROM: join(dist, 'main.js'),
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      CHAT_REDIS_PREFIX: prefix,
      CHAT_RATE_LIMIT: 'off',
      CHAT_HANDSHAKE_RATE_PER_IP: 'off',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.once('exit', () => child.kill('SIGKILL'));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return { port, child, queryCountFile, queries: () => countedQueries(queryCountFile) };
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`instance on ${port} did not start`);
    await sleep(100);
  }
}

/**
 * Opens one socket per cookie over `ports` and resolves when all settled — knowing `online`
 * users are online and resumed — or the timeout passed; `opened(i)` is told of each socket open.
 */
async function storm(ports, cookies, online, opened = () => {}) {
  let settled = 0;
  let frames = 0;
  const sockets = [];
  const started = performance.now();
  let lastSettled = started;
  let allSettled = () => {};
  const done = new Promise((resolve) => (allSettled = resolve));
  let next = 0;
  const lane = async () => {
    while (next < cookies.length) {
      const i = next++;
      await new Promise((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${ports[i % ports.length]}/ws?caps=presence_changes`, {
          headers: { cookie: cookies[i] },
          perMessageDeflate: false,
        });
        sockets.push(ws);
        let count = -1;
        let resumed = false;
        let isSettled = false;
        ws.on('message', (data) => {
          frames++;
          const frame = JSON.parse(data.toString());
          if (frame.type === 'online_page' || frame.type === 'presence') count = frame.count;
          if (frame.type === 'resumed') resumed = true;
          if (!isSettled && resumed && count === online) {
            isSettled = true;
            lastSettled = performance.now();
            if (++settled === cookies.length) allSettled();
          }
        });
        ws.once('open', () => {
          ws.send(JSON.stringify({ type: 'resume', since: 0 }));
          opened(i);
          resolve();
        });
        ws.once('error', () => resolve());
      });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  await Promise.race([done, sleep(SETTLE_TIMEOUT_MS)]);
  const seconds = (lastSettled - started) / 1000;
  const close = () =>
    Promise.all(
      sockets.map(
        (ws) =>
          new Promise((resolve) =>
            ws.readyState === WebSocket.CLOSED ? resolve() : (ws.once('close', resolve), ws.close()),
          ),
      ),
    );
  return { settled, seconds, framesPerClient: frames / cookies.length, close };
}

/**
 * `count` simulated instances on `redisUrl` (real presence stores announcing on the deployment's
 * channel), and `join(k)`, which brings the `k`-th batch of `perBatch` users of `users` online
 * through them (round-robin), and `rest()`, which brings any left online.
 */
async function simulatedInstances(redisUrl, prefix, count, users, perBatch) {
  const channels = new RedisChannels(prefix, isRedisClusterUrl(redisUrl));
  const stores = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      RedisPresenceStore.open({
        url: redisUrl,
        keyPrefix: prefix,
        nodeId: `simulated-${i + 1}`,
        presenceTtlMs: 30_000,
        announceChannel: channels.everyone,
      }),
    ),
  );
  let added = 0;
  const add = (until) => {
    for (; added < Math.min(until, users.length); added++) void stores[added % count].add(users[added]);
  };
  return {
    join: (k) => add((k + 1) * perBatch),
    rest: () => add(users.length),
    close: () => Promise.all(stores.map((store) => store.close())),
  };
}

async function setUp(build, name, startRedis, instances, minted, round, share = 1) {
  const redis = await startRedis();
  const prefix = `storm${round}:`;
  const servers = [];
  // with a share of 1/n: this instance's sockets, and the users of the simulated others
  const cookies = minted.cookies.filter((_, i) => i % share === 0);
  const others = minted.users.filter((_, i) => i % share !== 0);
  let simulated = null;
  try {
    for (let i = 0; i < instances; i++) servers.push(await startInstance(build.dist, redis.url, prefix));
    if (share > 1) simulated = await simulatedInstances(redis.url, prefix, share - 1, others, share - 1);
    await sleep(1_000);
    const loadAtStart = load();
    const cpuBefore = servers.map((s) => cpuSplit(s.child.pid));
    const before = await redisCounters(redis);
    const queriesBefore = servers.map((s) => s.queries());
    const { close, ...result } = await storm(
      servers.map((s) => s.port),
      cookies,
      USERS,
      (i) => simulated?.join(i),
    );
    simulated?.rest();
    const delta = counterDelta(before, await redisCounters(redis));
    await sleep(200); // the counters' next write
    const queries = servers.reduce((sum, s, i) => sum + s.queries() - queriesBefore[i], 0);
    const splits = servers.map((s, i) => cpuSplit(s.child.pid, cpuBefore[i]));
    const cpus = splits.map((split) => split.user + split.system);
    const cpu = cpus.reduce((a, b) => a + b, 0);
    const systemCpu = splits.reduce((sum, split) => sum + split.system, 0);
    const loadAtEnd = load();
    await close();
    const calls = (...names) => names.reduce((sum, command) => sum + (delta.calls[command] ?? 0), 0);
    const all = Object.values(delta.calls).reduce((a, b) => a + b, 0);
    return {
      name: `${name} (${build.name})`,
      instances,
      loadAtStart,
      loadAtEnd,
      cpus,
      systemCpu,
      perCommand: Object.entries(delta.calls)
        .sort((a, b) => b[1] - a[1])
        .map(([command, count]) => `${command} ${(count / USERS).toFixed(2)}`)
        .join(', '),
      ...result,
      cpu,
      publishesPerUser: calls('publish', 'spublish') / USERS,
      scriptsPerUser: calls('eval', 'evalsha') / USERS,
      commandsPerUser: all / USERS,
      bytesInPerUser: delta.netIn / USERS,
      bytesOutPerUser: delta.netOut / USERS,
      sockets: cookies.length,
      queriesPerSocket: queries / cookies.length,
    };
  } finally {
    await simulated?.close();
    for (const s of servers) {
      const exited = new Promise((resolve) => s.child.once('exit', resolve));
      s.child.kill('SIGTERM');
      await exited;
      rmSync(s.queryCountFile, { force: true });
    }
    await redis.stop();
  }
}

console.log(`$ node bench/cluster-storm.mjs ${process.argv.slice(2).join(' ')}`);
console.log(describeMachine());
const admin = new pg.Client({ connectionString: postgres });
await admin.connect();
try {
  const mintRedis = await startSingleRedis();
  const minted = await mintUsers(mintRedis.url).finally(() => mintRedis.stop());
  const rows = [];
  const setUps = {
    1: ['one instance, one Redis', startSingleRedis, 1],
    3: ['three instances, one Redis', startSingleRedis, 3],
    '3c': ['three instances, Redis Cluster (3 masters)', startRedisCluster, 3],
    '1of3': ["one of three instances, one Redis (the others' users simulated)", startSingleRedis, 1, 3],
    '1of3c': ["one of three instances, Redis Cluster (the others' users simulated)", startRedisCluster, 1, 3],
  };
  let round = 0;
  for (const key of SETUPS) {
    for (const build of BUILDS) {
      const [name, startRedis, instances, share] = setUps[key];
      rows.push(await setUp(build, name, startRedis, instances, minted, ++round, share));
    }
  }
  console.log(
    `\n| set-up | load average at start / end | settled | seconds until all settled | frames per client | instances' CPU s (each) | of which system (kernel) s | CPU ms per socket | per user online: presence announcements (PUBLISH/SPUBLISH) | scripts (EVAL/EVALSHA, presence and rate limits) | all Redis commands | Redis bytes in / out | PostgreSQL queries per socket |`,
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.loadAtStart} / ${r.loadAtEnd} | ${r.settled}/${r.sockets} | ${r.seconds.toFixed(2)} | ${r.framesPerClient.toFixed(1)} | ${r.cpu.toFixed(2)} (${r.cpus.map((c) => c.toFixed(2)).join(', ')}) | ${r.systemCpu.toFixed(2)} | ${((1000 * r.cpu) / r.sockets).toFixed(2)} | ${r.publishesPerUser.toFixed(2)} | ${r.scriptsPerUser.toFixed(2)} | ${r.commandsPerUser.toFixed(1)} | ${Math.round(r.bytesInPerUser)} / ${Math.round(r.bytesOutPerUser)} | ${r.queriesPerSocket.toFixed(2)} |`,
    );
  }
  console.log('\nRedis commands per user who came online, by command:');
  for (const r of rows) console.log(`- ${r.name}: ${r.perCommand}`);
  console.log(`\nload average at end: ${load()}`);
} finally {
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
}
process.exit(0);
