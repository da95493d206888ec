// Private redis-server processes for the benchmarks and the tests: one server, or a
// three-master Redis Cluster (Debian's redis-server in cluster mode), on free ports in a
// temporary directory, without persistence. A benchmark counts only its own commands on
// them (INFO commandstats); parallel test runs never share one. Types: local-redis.d.mts.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../bench/lib/free-port.mjs';

const run = promisify(execFile);

/** Masters of the local Redis Cluster (no replicas: several shards are what is needed, not failover). */
const MASTERS = 3;
/** How long a server may take to answer, and the cluster to form. */
const FORM_TIMEOUT_MS = 20_000;
/** Attempts at starting (a free port taken by a parallel run between probe and bind starts it again). */
const ATTEMPTS = 3;

/** @type {Set<import('node:child_process').ChildProcess>} */
const running = new Set();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** @param {number} port @param {...string} args */
export async function redisCli(port, ...args) {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args]);
  return stdout;
}

/** @param {string} dir @param {number} port @param {string[]} extra */
function startServer(dir, port, extra) {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--logfile',
      join(dir, `redis-${port}.log`),
      ...extra,
    ],
    { stdio: 'ignore' },
  );
  running.add(child);
  child.once('exit', () => running.delete(child));
  child.on('error', () => undefined); // reported by waitFor (the process is gone)
  return child;
}

/** @param {import('node:child_process').ChildProcess} child */
async function stopServer(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Waits until `redis-cli <args>` on `port` answers what `ready` accepts.
 * @param {number} port @param {string[]} args @param {(text: string) => boolean} ready
 * @param {import('node:child_process').ChildProcess[]} children
 */
async function waitFor(port, args, ready, children) {
  const deadline = Date.now() + FORM_TIMEOUT_MS;
  for (;;) {
    if (children.some((child) => child.exitCode !== null)) throw new Error(`redis-server on port ${port} exited`);
    if (ready(await redisCli(port, ...args).catch(() => ''))) return;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} not ready (${args.join(' ')})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts servers with `start` in a fresh temporary directory, up to `ATTEMPTS` times.
 * @param {string} name
 * @param {(dir: string, children: import('node:child_process').ChildProcess[]) => Promise<{ url: string, ports: number[] }>} start
 * @returns {Promise<import('./local-redis.d.mts').LocalRedis>}
 */
async function startWithRetries(name, start) {
  let lastError;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const dir = await mkdtemp(join(tmpdir(), `fc-${name}-`));
    /** @type {import('node:child_process').ChildProcess[]} */
    const children = [];
    const stop = async () => {
      await Promise.all(children.map(stopServer));
      await rm(dir, { recursive: true, force: true });
    };
    try {
      return { ...(await start(dir, children)), stop };
    } catch (error) {
      lastError = error;
      await stop();
    }
  }
  throw lastError;
}

/** One redis-server on a free port. @returns {Promise<import('./local-redis.d.mts').LocalRedis>} */
export function startSingleRedis() {
  return startWithRetries('redis', async (dir, children) => {
    const port = await freePort();
    children.push(startServer(dir, port, []));
    await waitFor(port, ['ping'], (text) => text.trim() === 'PONG', children);
    return { url: `redis://127.0.0.1:${port}`, ports: [port] };
  });
}

/**
 * A three-master Redis Cluster (no replicas), formed with `redis-cli --cluster create`;
 * resolves once every node reports `cluster_state:ok` with all slots served.
 * @returns {Promise<import('./local-redis.d.mts').LocalRedis>}
 */
export function startRedisCluster() {
  return startWithRetries('redis-cluster', async (dir, children) => {
    const ports = [];
    for (let i = 0; i < MASTERS; i++) {
      const port = await freePort();
      // the cluster bus port is set explicitly: port + 10000 may be taken or past 65535
      const busPort = await freePort();
      ports.push(port);
      children.push(
        startServer(dir, port, [
          '--cluster-enabled',
          'yes',
          '--cluster-port',
          String(busPort),
          '--cluster-config-file',
          join(dir, `nodes-${port}.conf`),
        ]),
      );
    }
    await Promise.all(ports.map((port) => waitFor(port, ['ping'], (text) => text.trim() === 'PONG', children)));
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    const ok = (/** @type {string} */ text) =>
      text.includes('cluster_state:ok') && text.includes('cluster_slots_ok:16384');
    await Promise.all(ports.map((port) => waitFor(port, ['cluster', 'info'], ok, children)));
    return { url: `redis+cluster://${ports.map((port) => `127.0.0.1:${port}`).join(',')}`, ports };
  });
}

/**
 * Summed over the servers: calls per command (INFO commandstats) and network bytes in and
 * out (INFO stats), so a difference of two snapshots is what happened in between.
 * @param {import('./local-redis.d.mts').LocalRedis} redis
 */
export async function redisCounters(redis) {
  /** @type {Record<string, number>} */
  const calls = {};
  let netIn = 0;
  let netOut = 0;
  for (const port of redis.ports) {
    const info = await redisCli(port, 'info', 'all');
    for (const [, command, count] of info.matchAll(/^cmdstat_([a-z|_-]+):calls=(\d+)/gm)) {
      calls[command] = (calls[command] ?? 0) + Number(count);
    }
    netIn += Number(/^total_net_input_bytes:(\d+)/m.exec(info)?.[1] ?? 0);
    netOut += Number(/^total_net_output_bytes:(\d+)/m.exec(info)?.[1] ?? 0);
  }
  return { calls, netIn, netOut };
}

/**
 * What happened between two `redisCounters` snapshots, the INFO commands themselves left out.
 * @param {Awaited<ReturnType<typeof redisCounters>>} before
 * @param {Awaited<ReturnType<typeof redisCounters>>} after
 */
export function counterDelta(before, after) {
  /** @type {Record<string, number>} */
  const calls = {};
  for (const [command, count] of Object.entries(after.calls)) {
    const delta = count - (before.calls[command] ?? 0);
    if (delta > 0 && command !== 'info') calls[command] = delta;
  }
  return { calls, netIn: after.netIn - before.netIn, netOut: after.netOut - before.netOut };
}
