import { describe, it } from 'vitest';
import { requireClusterServices } from './services.js';

/**
 * Loads an e2e spec module so that its tests run against a three-instance cluster. The
 * calling file must also redirect the spec's server to a cluster:
 * `vi.mock('../support/test-app.js', () => import('../support/cluster-test-app.js'))`
 * (vi.mock is hoisted per file, so it cannot live here). Without Redis and PostgreSQL the
 * spec is reported as not run, with the reason; under `CI=true` that is an error instead.
 */
export async function runOnCluster(loadSpec: () => Promise<unknown>): Promise<void> {
  const services = await requireClusterServices();
  if (services.available) {
    await loadSpec();
    return;
  }
  describe.runIf(services.available)('the e2e specs on a cluster', () => {
    it(`need Redis and PostgreSQL: ${services.reason}`, () => undefined);
  });
}
