import { join } from 'node:path';
import { CpuWindow, peakRssBytes } from '../lib/proc-stat.mjs';
import { nowUs } from '../lib/clock.mjs';
import { StormUsers } from '../lib/storm-users.mjs';

/** Distinct users per storm. */
const STEPS = [1000, 2000, 5000, 10000];
/** Storms also run with seed-protocol clients (per-user presence frames, no cut-off) up to this size, for the side-by-side ratio. */
const SEED_UP_TO = 2000;
/** Pending handshakes per generator worker: "at once", within what one listen backlog takes. */
export const STORM_CONCURRENCY = 256;
/** Longest wait for a storm to settle. */
export const STORM_SETTLE_TIMEOUT_MS = 180_000;
/** Target: 10,000 `presence_changes` clients settled within this many seconds. */
const TARGET_SECONDS = 10;

/**
 * (g) Reconnect storm: N distinct users (one socket each) open their sockets at once on a
 * fresh forum-chat, each sending `resume` on open. Measured until every socket knows that N
 * users are online and has its `resumed`: that time, frames and bytes the clients received
 * (per client too), server CPU, the server's peak RSS, and sockets the server closed (1013 =
 * cut off as a slow consumer). Clients negotiate `presence_changes` with the default send
 * queue limit; for N ≤ 2,000 the same storm also runs with seed-protocol clients and the
 * presence list limit out of the way (the per-user behaviour, `CHAT_SEND_QUEUE_LIMIT=100000`
 * as in a–e), to compare side by side in one run. forum-chat only.
 * @type {import('./scenario.mjs').Scenario}
 */
export default {
  id: 'g',
  title: 'reconnect storm: N distinct users open their sockets at once (presence settled + resume done)',
  targets: ['forum-chat'],
  ownServers: true,
  async run({ cfg, startServer, newGenerator, tmpDir, root }) {
    const steps = STEPS.map((n) => Math.max(10, Math.round(n * cfg.scale)));
    const dbPath = join(tmpDir, 'storm.db');
    const pool = new StormUsers(join(root, 'bench/out'), steps[steps.length - 1]);
    const prepared = Date.now();
    const all = await pool.prepare(dbPath, (env) => startServer({ DATABASE_URL: `sqlite:${dbPath}`, ...env }));
    /** @type {Record<string, any>} */
    const out = { reused: pool.reused, prepareSeconds: (Date.now() - prepared) / 1000, runs: [] };
    for (const n of steps) {
      for (const mode of /** @type {const} */ (['changes', 'seed'])) {
        if (mode === 'seed' && n > Math.round(SEED_UP_TO * cfg.scale)) continue;
        pool.restore(dbPath);
        const env = { DATABASE_URL: `sqlite:${dbPath}`, ...(mode === 'seed' ? { CHAT_PRESENCE_LIST_LIMIT: '1000000', CHAT_SEND_QUEUE_LIMIT: '100000' } : {}) };
        out.runs.push(await oneStorm(await startServer(env), newGenerator(), all.slice(0, n), mode));
      }
    }
    return out;
  },
  rows(r) {
    const f = r['forum-chat'];
    if (!f) return [];
    /** @type {import('./scenario.mjs').Row[]} */
    const rows = [];
    for (const run of f.runs.filter((/** @type {any} */ x) => x.mode === 'changes')) {
      const seed = f.runs.find((/** @type {any} */ x) => x.mode === 'seed' && x.n === run.n);
      const label = `N=${run.n.toLocaleString('en')}`;
      const add = (metric, key, digits, extra = {}) =>
        rows.push({ scenario: 'g', metric: `${label} ${metric}`, baseline: seed?.[key], forum: run[key], digits, ratio: seed !== undefined, ...extra });
      add('settled s', 'settledSeconds', 2, run.n === 10000 ? { target: `≤ ${TARGET_SECONDS} s`, met: run.complete && run.settledSeconds <= TARGET_SECONDS } : {});
      add('frames per client', 'framesPerClient', 1);
      add('frames sent', 'frames', 0);
      add('MB sent', 'megabytes', 1);
      add('server CPU s', 'serverCpu', 2);
      add('peak RSS MiB', 'peakRssMiB', 0);
      add('clients cut off (1013)', 'cutOff', 0, { target: '0', met: run.cutOff === 0 });
    }
    return rows;
  },
  notes(r) {
    const f = r['forum-chat'];
    if (!f) return [];
    const notes = [
      `(g) the "baseline" column of (g) is forum-chat itself with seed-protocol clients (per-user presence frames, no list limit, send queue 100000), run beside the presence_changes storm in the same run; users ${f.reused ? 'reused from bench/out/' : `seeded in ${f.prepareSeconds.toFixed(0)} s`}`,
    ];
    for (const x of f.runs) {
      const tl = x.timeline;
      notes.push(
        `(g) N=${x.n} ${x.mode}: ${x.complete ? 'settled' : 'NOT settled'} ${x.settled}/${x.opened} in ${x.settledSeconds.toFixed(2)} s; connects issued over ${x.connectSeconds.toFixed(2)} s; ` +
          `opened by ${formatQuantiles(tl.openedS, 's')}, settled by ${formatQuantiles(tl.settledS, 's')}, handshake ${formatQuantiles(tl.handshakeMs, 'ms')}` +
          (x.complete ? '' : `, lowest online count a socket knows ${tl.lowestCount}`) +
          `; server CPU ${x.serverCpu.toFixed(2)} s (${((1e6 * x.serverCpu) / Math.max(1, x.opened)).toFixed(0)} µs per socket` +
          (Number.isFinite(x.serverWrites) ? `, ${(x.serverWrites / Math.max(1, x.opened)).toFixed(1)} write calls per socket` : '') +
          `), generator CPU ${x.generatorCpu.toFixed(2)} s, other work ${x.otherCpu.toFixed(2)} s` +
          (Object.keys(x.failures).length ? `; connect failures ${JSON.stringify(x.failures)}` : '') +
          (Object.keys(x.closed).length ? `; closed by the server ${JSON.stringify(x.closed)}` : ''),
      );
    }
    return notes;
  },
};

/**
 * One storm on a fresh server; stops the server and the generator after.
 * @param {import('../lib/server-process.mjs').ServerProcess} server
 * @param {import('../lib/load-generator.mjs').LoadGenerator} gen
 * @param {import('../lib/auth-client.mjs').BenchUser[]} users
 * @param {'changes' | 'seed'} mode
 */
async function oneStorm(server, gen, users, mode) {
  try {
    await gen.ready();
    const cpu = new CpuWindow(server.pid);
    const started = nowUs();
    let connectedUs = 0;
    const status = await gen.storm({
      url: server.wsUrl,
      cookies: users.map((u) => u.cookie),
      concurrency: STORM_CONCURRENCY,
      expected: users.length,
      mode,
      timeoutMs: STORM_SETTLE_TIMEOUT_MS,
      onConnected: () => (connectedUs = nowUs()),
    });
    const used = cpu.stop();
    const peak = peakRssBytes(server.pid);
    const t = status.times;
    const since = (/** @type {number[]} */ at) => at.filter((x) => x > 0).map((x) => (x - started) / 1e6);
    return {
      timeline: {
        openedS: quantiles(since(t.openedAtUs)),
        settledS: quantiles(since(t.settledAtUs)),
        handshakeMs: quantiles(t.handshakeUs.map((x) => x / 1000)),
        lowestCount: t.counts.length ? Math.min(...t.counts) : 0,
      },
      n: users.length,
      mode,
      complete: status.complete,
      opened: status.opened,
      settled: status.settled,
      settledSeconds: ((status.complete ? status.lastSettledUs : nowUs()) - started) / 1e6,
      connectSeconds: ((connectedUs || nowUs()) - started) / 1e6,
      frames: status.frames,
      framesPerClient: status.frames / Math.max(1, status.opened),
      megabytes: status.bytes / 1e6,
      serverCpu: used.serverCpu,
      generatorCpu: used.generatorCpu,
      otherCpu: used.otherCpu,
      serverWrites: used.serverWrites,
      peakRssMiB: peak / 2 ** 20,
      cutOff: status.closed['1013'] ?? 0,
      closed: status.closed,
      failures: status.failures,
    };
  } finally {
    await gen.close();
    await server.stop();
  }
}

/**
 * The 50th, 90th percentile and the largest of `values` (null when empty).
 * @param {number[]} values
 */
function quantiles(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (/** @type {number} */ q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p90: at(0.9), max: sorted[sorted.length - 1], count: sorted.length };
}

/**
 * "p50 1.2 / p90 3.4 / max 5.6 s (n)".
 * @param {{ p50: number, p90: number, max: number, count: number } | null} q
 * @param {string} unit
 */
function formatQuantiles(q, unit) {
  if (!q) return '–';
  const f = (/** @type {number} */ v) => (v < 10 ? v.toFixed(2) : v.toFixed(1));
  return `p50 ${f(q.p50)} / p90 ${f(q.p90)} / max ${f(q.max)} ${unit}`;
}
