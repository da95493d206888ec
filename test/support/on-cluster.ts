import { afterAll, it } from 'vitest';
import { requireLocalRedisCluster, useRedisCluster } from './cluster-redis.js';
import { describeWithServices, requireClusterServices } from './services.js';

/**
 * Loads an e2e spec module so that its tests run against a three-instance cluster on a
 * three-master Redis Cluster started for this file (`startLocalRedisCluster`, stopped after
 * it) and the local PostgreSQL. The calling file must also redirect the spec's server to a
 * cluster: `vi.mock('../support/test-app.js', () => import('../support/cluster-test-app.js'))`
 * (vi.mock is hoisted per file, so it cannot live here). Without PostgreSQL or
 * `redis-server` the spec is reported as skipped, with the reason; under `CI=true` that is
 * an error instead.
 */
export async function runOnCluster(loadSpec: () => Promise<unknown>): Promise<void> {
  const services = await requireClusterServices();
  const redis = services.available ? await requireLocalRedisCluster() : null;
  const probe = redis?.probe ?? services;
  if (probe.available && redis?.cluster) {
    const cluster = redis.cluster;
    useRedisCluster(cluster);
    afterAll(async () => {
      useRedisCluster(null);
      await cluster.stop();
    });
    await loadSpec();
    return;
  }
  describeWithServices(probe, 'the e2e spec on a cluster', () => {
    it('every test of the spec, against three instances', () => undefined);
  });
}
