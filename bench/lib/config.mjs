/**
 * Benchmark settings from the environment and the command line. Every run is
 * bounded: each knob has a default that keeps `npm run bench` under ~10 minutes.
 *
 * | env | default | meaning |
 * |---|---|---|
 * | BENCH_SECONDS | 10 | measured seconds per scenario (after warm-up) |
 * | BENCH_WARMUP_SECONDS | 1 | sending before the measured window opens |
 * | BENCH_DRAIN_SECONDS | 5 | longest wait for in-flight messages after sending stops |
 * | BENCH_WORKERS | 2 | generator worker threads |
 * | BENCH_USERS | 1000 | users registered per server (sockets are spread over them) |
 * | BENCH_SCALE | 1 | multiplies every client count (e.g. 0.1 for a smoke run) |
 * | BENCH_TARGETS | forum-chat,baseline | which servers to run |
 * | BENCH_REPEAT | 1 | runs per scenario and server; the one least disturbed by other work is reported |
 * | BENCH_CLIENT | lean | `lean` (minimal RFC 6455 client, cheap receipt) or `ws` (the ws library) for scenario sockets |
 * | BENCH_USER_CACHE | 1 | reuse forum-chat's registered users from bench/out/ (0: register afresh) |
 * | BENCH_QUIET_WAIT_SECONDS | 20 | longest wait, before each server starts, for the machine to be < 25 % busy |
 */

/** @typedef {{ seconds: number, warmupSeconds: number, drainSeconds: number, workers: number,
 *   users: number, scale: number, repeat: number, targets: string[], client: 'lean' | 'ws', userCache: boolean, quietWaitSeconds: number, scenarios: string[] | null }} BenchConfig */

/**
 * Reads the configuration; unknown flags stop the run with a message.
 * @param {string[]} argv process.argv.slice(2)
 * @param {NodeJS.ProcessEnv} env
 * @returns {BenchConfig}
 */
export function readConfig(argv, env) {
  /** @type {string[] | null} */
  let scenarios = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--scenario' || arg === '-s') {
      scenarios = [...(scenarios ?? []), ...String(argv[++i] ?? '').split(',').filter(Boolean)];
    } else if (arg.startsWith('--scenario=')) {
      scenarios = [...(scenarios ?? []), ...arg.slice(11).split(',').filter(Boolean)];
    } else {
      throw new Error(`unknown argument ${arg}; usage: npm run bench [-- --scenario a[,b...]]`);
    }
  }
  return {
    seconds: num(env.BENCH_SECONDS, 10),
    warmupSeconds: num(env.BENCH_WARMUP_SECONDS, 1),
    drainSeconds: num(env.BENCH_DRAIN_SECONDS, 5),
    workers: Math.max(1, Math.round(num(env.BENCH_WORKERS, 2))),
    users: Math.max(2, Math.round(num(env.BENCH_USERS, 1000))),
    scale: num(env.BENCH_SCALE, 1),
    repeat: Math.max(1, Math.round(num(env.BENCH_REPEAT, 1))),
    targets: (env.BENCH_TARGETS ?? 'forum-chat,baseline').split(',').map((s) => s.trim()).filter(Boolean),
    client: env.BENCH_CLIENT === 'ws' ? 'ws' : 'lean',
    userCache: env.BENCH_USER_CACHE !== '0',
    quietWaitSeconds: env.BENCH_QUIET_WAIT_SECONDS === '0' ? 0 : num(env.BENCH_QUIET_WAIT_SECONDS, 20),
    scenarios,
  };
}

function num(value, fallback) {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`bad number ${JSON.stringify(value)} in environment`);
  return n;
}
