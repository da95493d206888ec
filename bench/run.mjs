/**
 * `npm run bench [-- --scenario a[,b…]]`: runs the chosen scenarios (all by default)
 * against forum-chat and the baseline, one fresh server process per scenario and
 * target, prints the table and writes bench/RESULTS.md. Every load targets
 * 127.0.0.1, is bounded in sockets and seconds, and every child process and worker
 * thread is stopped before the command returns (also on Ctrl-C).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readConfig } from './lib/config.mjs';
import { Targets } from './lib/targets.mjs';
import { ServerProcess } from './lib/server-process.mjs';
import { UserPool } from './lib/user-pool.mjs';
import { LoadGenerator } from './lib/load-generator.mjs';
import { describeMachine } from './lib/machine.mjs';
import { textTable } from './lib/results-table.mjs';
import { writeResults } from './lib/results-file.mjs';
import { SCENARIOS } from './scenarios/index.mjs';
import { waitForQuietMachine } from './lib/quiet-machine.mjs';
import { PoolCache } from './lib/pool-cache.mjs';

/** Longest a single scenario may take on one target before it is abandoned (setup included, user pool excluded). */
const SCENARIO_TIMEOUT_MS = 180_000;
/** Longest a scenario that starts its own servers (several storms) may take. */
const OWN_SERVERS_TIMEOUT_MS = 1_800_000;
/** Longest the user pool may take to build (forum-chat hashes every password with scrypt). */
const POOL_TIMEOUT_MS = 600_000;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cfg = readConfig(process.argv.slice(2), process.env);
const chosen = SCENARIOS.filter((s) => !cfg.scenarios || cfg.scenarios.includes(s.id));
if (chosen.length === 0) throw new Error(`no scenario matches ${cfg.scenarios}; known: ${SCENARIOS.map((s) => s.id).join(', ')}`);

const tmpDir = mkdtempSync(join(tmpdir(), 'forum-chat-bench-'));
const targets = new Targets(root, tmpDir);
/** @type {Set<ServerProcess>} */
const live = new Set();
/** @type {Set<LoadGenerator>} */
const generators = new Set();

async function cleanup() {
  await Promise.allSettled([...generators].map((g) => g.close()));
  await Promise.allSettled([...live].map((s) => s.stop()));
  rmSync(tmpDir, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => cleanup().finally(() => process.exit(130)));
}

const started = Date.now();
const pools = Object.fromEntries(cfg.targets.map((t) => [t, new UserPool(cfg.users)]));
const poolCache = cfg.userCache ? new PoolCache(join(root, 'bench/out'), cfg.users) : null;
const forumDb = join(tmpDir, 'bench.db');
const cachedUsers = pools['forum-chat'] && poolCache?.restore(forumDb);
if (cachedUsers) pools['forum-chat'].adopt(cachedUsers);
/** @type {Set<string>} */
const reuseNoted = new Set();
/** @type {import('./scenarios/scenario.mjs').Row[]} */
const rows = [];
/** @type {string[]} */
const notes = [];
/** @type {string[]} */
const errors = [];

if (cfg.targets.includes('forum-chat')) {
  try {
    if (targets.buildForumChatIfStale()) console.log('built forum-chat (nest build)');
  } catch (err) {
    errors.push(`forum-chat build failed: ${firstLine(err)}`);
    cfg.targets = cfg.targets.filter((t) => t !== 'forum-chat');
  }
}

try {
  for (const scenario of chosen) {
    console.log(`\n(${scenario.id}) ${scenario.title}`);
    /** @type {Record<string, Record<string, any> | undefined>} */
    const results = {};
    for (const target of scenario.targets.filter((t) => cfg.targets.includes(t))) {
      for (let rep = 1; rep <= cfg.repeat; rep++) {
        const quiet = await waitForQuietMachine(cfg.quietWaitSeconds * 1000);
        const t0 = Date.now();
        try {
          const r = await runOne(scenario, target);
          r.quiet = quiet;
          console.log(`  ${target}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s${r.otherPct !== undefined ? ` (other work ${r.otherPct.toFixed(0)} % of a core)` : ''}`);
          // Of several repetitions keep the one least disturbed by other work on the machine.
          if (!results[target] || (r.otherPct ?? 0) < (results[target]?.otherPct ?? 0)) results[target] = r;
        } catch (err) {
          errors.push(`(${scenario.id}) ${target}: ${firstLine(err)}`);
          console.log(`  ${target}: FAILED ${firstLine(err)}`);
        }
      }
    }
    for (const [target, r] of Object.entries(results)) {
      if (r && r.quiet.busyPct >= 25) {
        notes.push(`(${scenario.id}) ${target}: before it started, the machine was still ${r.quiet.busyPct.toFixed(0)} % busy with other work after waiting ${(r.quiet.waitedMs / 1000).toFixed(0)} s`);
      }
    }
    const scenarioRows = scenario.rows(results);
    rows.push(...scenarioRows);
    notes.push(...(scenario.notes?.(results) ?? []));
    console.log(textTable(scenarioRows));
  }
} finally {
  await cleanup();
}

const envPrefix = Object.entries(process.env)
  .filter(([k]) => k.startsWith('BENCH_'))
  .map(([k, v]) => `${k}=${v} `)
  .join('');
const command = `${envPrefix}npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
const settings = `BENCH_SECONDS=${cfg.seconds} BENCH_WARMUP_SECONDS=${cfg.warmupSeconds} BENCH_DRAIN_SECONDS=${cfg.drainSeconds} BENCH_WORKERS=${cfg.workers} BENCH_USERS=${cfg.users} BENCH_REPEAT=${cfg.repeat} BENCH_CLIENT=${cfg.client} BENCH_SCALE=${cfg.scale} BENCH_TARGETS=${cfg.targets.join(',')} BENCH_QUIET_WAIT_SECONDS=${cfg.quietWaitSeconds}`;
console.log(`\n${textTable(rows)}\n`);
for (const n of notes) console.log(`- ${n}`);
for (const e of errors) console.log(`! ${e}`);
writeResults(join(root, 'bench/RESULTS.md'), {
  date: new Date(),
  machine: describeMachine(),
  command,
  settings,
  scenarios: chosen.map((s) => `(${s.id}) ${s.title}`),
  rows,
  notes,
  errors,
  seconds: (Date.now() - started) / 1000,
});
console.log('\nwrote bench/RESULTS.md');

/**
 * One scenario on one target: fresh server, user pool, generator; all stopped after.
 * @param {import('./scenarios/scenario.mjs').Scenario} scenario
 * @param {string} target
 */
async function runOne(scenario, target) {
  if (scenario.ownServers) return runOwnServers(scenario, target);
  const server = await ServerProcess.start(targets.spec(target, scenario.serverEnv));
  live.add(server);
  const gen = new LoadGenerator(cfg.workers, cfg.client);
  generators.add(gen);
  try {
    const pool = pools[target];
    const users = await withTimeout(pool.ensure(server.httpUrl), POOL_TIMEOUT_MS, `${target}: registering and logging in ${cfg.users} users`);
    if (pool.buildSeconds) {
      notes.push(`${target}: ${users.length} users registered and logged in over HTTP in ${pool.buildSeconds.toFixed(1)} s`);
      pool.buildSeconds = 0;
      if (target === 'forum-chat') poolCache?.save(forumDb, users);
    } else if (pool.adopted && !reuseNoted.has(target)) {
      notes.push(`${target}: ${users.length} users and sessions reused from bench/out/ (an earlier run; their sessions verified)`);
      reuseNoted.add(target);
    }
    return await withTimeout(scenario.run({ cfg, target, server, users, gen }), SCENARIO_TIMEOUT_MS, `(${scenario.id}) ${target}`);
  } finally {
    generators.delete(gen);
    await gen.close();
    live.delete(server);
    await server.stop();
  }
}

/**
 * A scenario that starts its own servers (its own users and database, a fresh server per
 * step): it gets a way to start a tracked forum-chat and fresh generators.
 * @param {import('./scenarios/scenario.mjs').Scenario} scenario
 * @param {string} target
 */
async function runOwnServers(scenario, target) {
  const startServer = async (/** @type {Record<string, string>} */ env) => {
    const server = await ServerProcess.start(targets.spec(target, { ...scenario.serverEnv, ...env }));
    live.add(server);
    const stop = server.stop.bind(server);
    server.stop = async () => {
      live.delete(server);
      await stop();
    };
    return server;
  };
  const newGenerator = () => {
    const gen = new LoadGenerator(cfg.workers, cfg.client);
    generators.add(gen);
    const close = gen.close.bind(gen);
    gen.close = async () => {
      generators.delete(gen);
      await close();
    };
    return gen;
  };
  const run = scenario.run({ cfg, target, startServer, newGenerator, tmpDir, root });
  return withTimeout(run, OWN_SERVERS_TIMEOUT_MS, `(${scenario.id}) ${target}`);
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

function firstLine(err) {
  return String(err?.message ?? err).split('\n')[0];
}
