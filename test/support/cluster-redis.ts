import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './cluster.js';
import type { ServiceProbe } from './services.js';

const run = promisify(execFile);

/** Masters of the test Redis Cluster (no replicas: the tests need slots on several shards, not failover). */
const MASTERS = 3;
/** How long the cluster may take to form (three processes, then the slot assignment propagating). */
const FORM_TIMEOUT_MS = 20_000;
/** Attempts at starting it (a free port taken by a parallel run between probe and bind starts it again). */
const ATTEMPTS = 3;

/** A three-master Redis Cluster of Debian's `redis-server`, on free ports, in a temporary directory. */
export interface LocalRedisCluster {
  /** Its `redis+cluster://` URL naming every master. */
  url: string;
  ports: number[];
  /** Stops the servers and removes the directory. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

async function formOnce(dir: string): Promise<LocalRedisCluster> {
  const ports: number[] = [];
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map(stopServer));
  };
  try {
    for (let i = 0; i < MASTERS; i++) {
      const port = await freePort();
      // the cluster bus port is set explicitly: port + 10000 may be taken or past 65535
      const busPort = await freePort();
      ports.push(port);
      children.push(startServer(dir, port, busPort));
    }
    await Promise.all(ports.map((port) => waitAnswers(port, children)));
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    await Promise.all(ports.map((port) => waitClusterOk(port)));
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `redis+cluster://${ports.map((port) => `127.0.0.1:${port}`).join(',')}`, ports, stop };
}

function startServer(dir: string, port: number, busPort: number): ChildProcess {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--cluster-enabled',
      'yes',
      '--cluster-port',
      String(busPort),
      '--cluster-config-file',
      join(dir, `nodes-${port}.conf`),
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--logfile',
      join(dir, `redis-${port}.log`),
    ],
    { stdio: 'ignore' },
  );
  running.add(child);
  child.once('exit', () => running.delete(child));
  child.on('error', () => undefined); // reported by waitAnswers (the process is gone)
  return child;
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

async function redisCli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args]);
  return stdout;
}

async function waitAnswers(port: number, children: ChildProcess[]): Promise<void> {
  const deadline = Date.now() + FORM_TIMEOUT_MS;
  for (;;) {
    if (children.some((child) => child.exitCode !== null)) throw new Error(`redis-server on port ${port} exited`);
    const answer = await redisCli(port, 'ping').catch(() => '');
    if (answer.trim() === 'PONG') return;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} does not answer`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function waitClusterOk(port: number): Promise<void> {
  const deadline = Date.now() + FORM_TIMEOUT_MS;
  for (;;) {
    const info = await redisCli(port, 'cluster', 'info').catch(() => '');
    if (info.includes('cluster_state:ok') && info.includes('cluster_slots_ok:16384')) return;
    if (Date.now() > deadline) throw new Error(`Redis Cluster node ${port} never reached cluster_state:ok`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts a local three-master Redis Cluster (Debian's `redis-server` in cluster mode,
 * free ports, its own temporary directory, no persistence), waiting until every node
 * reports `cluster_state:ok`. Tries again on other ports when one was taken meanwhile.
 */
export async function startLocalRedisCluster(): Promise<LocalRedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'fc-redis-cluster-'));
  let lastError: unknown;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    try {
      const cluster = await formOnce(dir);
      return {
        ...cluster,
        stop: async () => {
          await cluster.stop();
          await rm(dir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      lastError = error;
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}

/**
 * Starts the local Redis Cluster for a spec file, following the one rule for tests that
 * need a service (`requireServices`): when it cannot start, under `CI=true` this throws
 * (the file fails); elsewhere it prints the reason loudly and answers an unavailable probe,
 * so the caller reports its tests as skipped.
 */
export async function requireLocalRedisCluster(): Promise<{ probe: ServiceProbe; cluster: LocalRedisCluster | null }> {
  try {
    return { probe: { available: true, reason: '' }, cluster: await startLocalRedisCluster() };
  } catch (error) {
    const reason = `a local Redis Cluster (redis-server --cluster-enabled yes) did not start: ${(error as Error).message}`;
    if (process.env.CI === 'true') throw new Error(`${reason} (CI=true: these tests must run)`);
    process.stderr.write(
      `\n!!!! SKIPPING tests: ${reason}\n!!!! install redis-server (Debian: apt-get install redis-server)\n\n`,
    );
    return { probe: { available: false, reason }, cluster: null };
  }
}

let current: LocalRedisCluster | null = null;

/** The Redis Cluster the on-cluster specs of this file run on (set by `runOnCluster`), or null. */
export function currentRedisCluster(): LocalRedisCluster | null {
  return current;
}

/** Makes `cluster` the one `startClusterTestApp` uses in this file (null: the single test Redis). */
export function useRedisCluster(cluster: LocalRedisCluster | null): void {
  current = cluster;
}
