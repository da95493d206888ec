import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.mjs';

const run = promisify(execFile);

/**
 * A private redis-server (one, or a three-master cluster) on free ports in a temporary
 * directory, no persistence; so a benchmark counts only its own commands (INFO
 * commandstats) and never touches a shared Redis.
 * @typedef {{ url: string, ports: number[], stop(): Promise<void> }} LocalRedis
 */

/** @param {string} dir @param {number} port @param {string[]} extra */
function startServer(dir, port, extra) {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', ...extra],
    { stdio: 'ignore' },
  );
  process.once('exit', () => child.kill('SIGKILL'));
  return child;
}

/** @param {number} port @param {...string} args */
export async function redisCli(port, ...args) {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args]);
  return stdout;
}

/** @param {number} port @param {(text: string) => boolean} ready @param {string[]} args */
async function waitFor(port, ready, args) {
  const deadline = Date.now() + 20_000;
  while (!ready(await redisCli(port, ...args).catch(() => ''))) {
    if (Date.now() > deadline) throw new Error(`redis-server on ${port} not ready (${args.join(' ')})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** @param {import('node:child_process').ChildProcess[]} children @param {string} dir */
function stopper(children, dir) {
  return async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise((resolve) =>
            child.exitCode !== null ? resolve(0) : (child.once('exit', resolve), child.kill('SIGTERM')),
          ),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
}

/** One redis-server. @returns {Promise<LocalRedis>} */
export async function startSingleRedis() {
  const dir = mkdtempSync(join(tmpdir(), 'fc-bench-redis-'));
  const port = await freePort();
  const child = startServer(dir, port, []);
  await waitFor(port, (text) => text.trim() === 'PONG', ['ping']);
  return { url: `redis://127.0.0.1:${port}`, ports: [port], stop: stopper([child], dir) };
}

/** A three-master Redis Cluster (no replicas). @returns {Promise<LocalRedis>} */
export async function startRedisCluster() {
  const dir = mkdtempSync(join(tmpdir(), 'fc-bench-redis-cluster-'));
  const ports = [];
  const children = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
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
  for (const port of ports) await waitFor(port, (text) => text.trim() === 'PONG', ['ping']);
  await run('redis-cli', [
    '--cluster',
    'create',
    ...ports.map((p) => `127.0.0.1:${p}`),
    '--cluster-replicas',
    '0',
    '--cluster-yes',
  ]);
  for (const port of ports) {
    await waitFor(port, (text) => text.includes('cluster_state:ok') && text.includes('cluster_slots_ok:16384'), [
      'cluster',
      'info',
    ]);
  }
  return {
    url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`,
    ports,
    stop: stopper(children, dir),
  };
}

/**
 * Summed over the servers: calls per command (INFO commandstats) and network bytes in and
 * out (INFO stats), so a difference of two snapshots is what happened in between.
 * @param {LocalRedis} redis
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
