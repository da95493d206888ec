import { it } from 'vitest';
import { describeWithServices, requireClusterServices } from './services.js';

/**
 * Loads an e2e spec module so that its tests run against a three-instance cluster. The
 * calling file must also redirect the spec's server to a cluster:
 * `vi.mock('../support/test-app.js', () => import('../support/cluster-test-app.js'))`
 * (vi.mock is hoisted per file, so it cannot live here). Without Redis and PostgreSQL the
 * spec is reported as skipped, with the reason; under `CI=true` that is an error instead.
 */
export async function runOnCluster(loadSpec: () => Promise<unknown>): Promise<void> {
  const services = await requireClusterServices();
  if (services.available) {
    await loadSpec();
    return;
  }
  describeWithServices(services, 'the e2e spec on a cluster', () => {
    it('every test of the spec, against three instances', () => undefined);
  });
}
