import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { deleteRedisKeys, dropSchema, postgresUrlFor, TEST_REDIS_URL, testNamespace } from './services.js';
import { TEST_HASHING_ENV } from './test-hashing.js';

const MAIN = resolve(import.meta.dirname, '../../dist/main.js');
// generous: three instances starting at once on a busy two-core machine take a while
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;

/** One forum-chat process of a test cluster. */
export interface ClusterNode {
  index: number;
  port: number;
  baseUrl: string;
  wsUrl: string;
  process: ChildProcess;
  /** What the process printed so far (stdout and stderr). */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
}

/** A test cluster: several `node dist/main.js` sharing one Redis prefix and one PostgreSQL schema. */
export interface TestCluster {
  namespace: string;
  redisPrefix: string;
  nodes: ClusterNode[];
  /** Stops every process still running (SIGTERM, then SIGKILL), drops the schema and the keys. */
  close(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

async function waitHealthy(node: ClusterNode, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (node.process.exitCode !== null) throw new Error(`node ${node.index} exited: ${node.output().slice(-2000)}`);
    try {
      const response = await fetch(`${node.baseUrl}/health`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`node ${node.index} not healthy within ${timeoutMs} ms: ${node.output().slice(-2000)}`);
}

async function startNode(index: number, env: Record<string, string>): Promise<ClusterNode> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((done) =>
    child.once('exit', () => {
      running.delete(child);
      done();
    }),
  );
  return {
    index,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    process: child,
    output: () => output,
    exited,
  };
}

async function stopNode(node: ClusterNode): Promise<void> {
  if (node.process.exitCode !== null || node.process.signalCode !== null) return;
  node.process.kill('SIGTERM');
  const timer = setTimeout(() => node.process.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await node.exited;
  clearTimeout(timer);
}

/**
 * Starts `size` instances as separate processes on their own free ports, in cluster mode
 * on the local Redis and PostgreSQL with a fresh prefix and schema, and waits until each
 * answers `/health` with 200. Stops them all if one fails to start.
 */
export async function startCluster(size: number, env: Record<string, string> = {}): Promise<TestCluster> {
  const namespace = testNamespace();
  const redisPrefix = `${namespace}:`;
  const clusterEnv = {
    DATABASE_URL: postgresUrlFor(namespace),
    REDIS_URL: TEST_REDIS_URL,
    CHAT_REDIS_PREFIX: redisPrefix,
    // every test client comes from 127.0.0.1: per-address limits would refuse the test's own setup
    CHAT_HANDSHAKE_RATE_PER_IP: 'off',
    AUTH_REGISTER_RATE_PER_IP: 'off',
    AUTH_LOGIN_RATE_PER_IP: 'off',
    ...TEST_HASHING_ENV,
    ...env,
  };
  const nodes: ClusterNode[] = [];
  const close = async () => {
    await Promise.all(nodes.map(stopNode));
    await dropSchema(namespace).catch(() => undefined);
    await deleteRedisKeys(redisPrefix).catch(() => undefined);
  };
  try {
    // all at once: their migrations must take turns by themselves
    for (let i = 0; i < size; i++) nodes.push(await startNode(i, clusterEnv));
    await Promise.all(nodes.map((node) => waitHealthy(node, START_TIMEOUT_MS)));
  } catch (error) {
    await close();
    throw error;
  }
  return { namespace, redisPrefix, nodes, close };
}

/** Polls `/health` of `node` until it answers `status` or `timeoutMs` passes; resolves the time it took. */
export async function waitForHealth(node: ClusterNode, status: number, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const answer = await fetch(`${node.baseUrl}/health`).then(
      (r) => r.status,
      () => 0,
    );
    if (answer === status) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`node ${node.index} did not answer /health ${status} within ${timeoutMs} ms`);
}
