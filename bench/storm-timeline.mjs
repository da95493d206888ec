/**
 * One reconnect storm with its timeline: `node bench/storm-timeline.mjs [N] [changes|seed]`.
 * Starts one forum-chat (production build, as `npm run bench` does) on a copy of the storm
 * users' database, opens N sockets at once as scenario (g) does, and prints every 250 ms
 * how many handshakes answered, how many sockets settled, connect failures and the server's
 * CPU, then the totals. A development aid for seeing where a storm's time goes (with
 * `BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'` for a profile); not run by
 * `npm run bench`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Targets } from './lib/targets.mjs';
import { ServerProcess } from './lib/server-process.mjs';
import { LoadGenerator } from './lib/load-generator.mjs';
import { StormUsers } from './lib/storm-users.mjs';
import { loadavg } from 'node:os';
import { CpuWindow, cpuSplit, peakRssBytes } from './lib/proc-stat.mjs';
import { STORM_CONCURRENCY, STORM_SETTLE_TIMEOUT_MS } from './scenarios/g-reconnect-storm.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const n = Number(process.argv[2] ?? 1000);
const mode = process.argv[3] === 'seed' ? 'seed' : 'changes';
const tmpDir = mkdtempSync(join(tmpdir(), 'forum-chat-storm-'));
const dbPath = join(tmpDir, 'storm.db');
const targets = new Targets(root, tmpDir);
if (targets.buildForumChatIfStale()) console.log('built forum-chat (nest build)');
const start = (/** @type {Record<string, string>} */ env) =>
  ServerProcess.start(targets.spec('forum-chat', { DATABASE_URL: `sqlite:${dbPath}`, ...env }));
const pool = new StormUsers(join(root, 'bench/out'), 10000);
const users = (await pool.prepare(dbPath, start)).slice(0, n);
pool.restore(dbPath);
const env = mode === 'seed' ? { CHAT_PRESENCE_LIST_LIMIT: '1000000', CHAT_SEND_QUEUE_LIMIT: '100000' } : {};
const server = await start(env);
const gen = new LoadGenerator(2);
try {
  await gen.ready();
  const cpu = new CpuWindow(server.pid);
  const serverSplitStart = cpuSplit(server.pid);
  const selfSplitStart = cpuSplit('self');
  const t0 = Date.now();
  const ticker = setInterval(async () => {
    const parts = /** @type {any[]} */ (await gen.all('stormStatus'));
    const sum = (/** @type {string} */ k) => parts.reduce((a, p) => a + p[k], 0);
    const failures = parts.reduce((a, p) => a + Object.values(p.failures).reduce((x, y) => x + Number(y), 0), 0);
    const used = cpu.stop();
    console.log(
      `${((Date.now() - t0) / 1000).toFixed(2).padStart(6)} s  opened ${String(sum('opened')).padStart(5)}  settled ${String(sum('settled')).padStart(5)}  ` +
        `failed ${failures}  frames ${sum('frames')}  server CPU ${used.serverCpu.toFixed(2)} s  generator ${used.generatorCpu.toFixed(2)} s  other ${used.otherCpu.toFixed(2)} s`,
    );
  }, 250);
  const status = await gen.storm({
    url: server.wsUrl,
    cookies: users.map((u) => u.cookie),
    concurrency: STORM_CONCURRENCY,
    expected: n,
    mode,
    timeoutMs: Number(process.env.STORM_TIMEOUT_MS ?? STORM_SETTLE_TIMEOUT_MS),
  });
  clearInterval(ticker);
  const used = cpu.stop();
  const { times, ...rest } = status;
  const hs = times.handshakeUs.sort((a, b) => a - b);
  const per = (/** @type {number} */ x) => (1e6 * x) / Math.max(1, status.opened);
  const serverSplit = cpuSplit(server.pid, serverSplitStart);
  const selfSplit = cpuSplit('self', selfSplitStart);
  console.log(
    `per socket: server CPU ${per(used.serverCpu).toFixed(0)} µs (user ${per(serverSplit.user).toFixed(0)}, system ${per(serverSplit.system).toFixed(0)}), ` +
      `server write calls ${(used.serverWrites / Math.max(1, status.opened)).toFixed(2)}, frames ${(status.frames / Math.max(1, status.opened)).toFixed(2)}, ` +
      `generator CPU ${per(used.generatorCpu).toFixed(0)} µs (user ${per(selfSplit.user).toFixed(0)}, system ${per(selfSplit.system).toFixed(0)}); ` +
      `machine load ${loadavg().map((x) => x.toFixed(2)).join(' ')}, other work ${used.otherCpu.toFixed(2)} s in ${used.wall.toFixed(2)} s`,
  );
  console.log(`handshake ms p50 ${(hs[hs.length >> 1] / 1000).toFixed(1)} p90 ${(hs[Math.floor(hs.length * 0.9)] / 1000).toFixed(1)} max ${(hs[hs.length - 1] / 1000).toFixed(1)}`);
  console.log(
    JSON.stringify({ n, mode, seconds: (Date.now() - t0) / 1000, ...rest, serverCpu: used.serverCpu, generatorCpu: used.generatorCpu, otherCpu: used.otherCpu, peakRssMiB: peakRssBytes(server.pid) / 2 ** 20 }),
  );
} finally {
  await gen.close();
  const log = server.log.filter((line) => !line.includes('"connection '));
  await server.stop();
  console.log(log.slice(-5).join('\n'));
  rmSync(tmpDir, { recursive: true, force: true });
}
