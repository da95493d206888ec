import { describe, it, vi } from 'vitest';
import { requireClusterServices } from '../support/services.js';

// test/e2e/presence.spec.ts, unchanged, against a three-instance cluster behind a round-robin proxy.
vi.mock('../support/test-app.js', async () => {
  const { startClusterTestApp } = await import('../support/cluster-test-app.js');
  return { startTestApp: startClusterTestApp };
});

const services = await requireClusterServices();

if (services.available) {
  await import('../e2e/presence.spec.js');
} else {
  describe.runIf(services.available)('the e2e specs on a cluster', () => {
    it(`need Redis and PostgreSQL: ${services.reason}`, () => undefined);
  });
}
