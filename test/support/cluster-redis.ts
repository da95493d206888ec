import { type LocalRedis, startRedisCluster } from '../../scripts/local-redis.mjs';
import type { ServiceProbe } from './services.js';

/** A three-master Redis Cluster of Debian's `redis-server`, on free ports, in a temporary directory. */
export type LocalRedisCluster = LocalRedis;

/**
 * Starts a local three-master Redis Cluster (Debian's `redis-server` in cluster mode,
 * free ports, its own temporary directory, no persistence), waiting until every node
 * reports `cluster_state:ok`; tries again on other ports when one was taken meanwhile.
 * The same servers the benchmarks start (`scripts/local-redis.mjs`).
 */
export function startLocalRedisCluster(): Promise<LocalRedisCluster> {
  return startRedisCluster();
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
