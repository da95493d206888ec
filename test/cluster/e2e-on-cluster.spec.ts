import { describe, it, vi } from 'vitest';
import { requireClusterServices } from '../support/services.js';

// Every e2e spec, unchanged, with its server replaced by a three-instance cluster behind a
// round-robin proxy (consecutive sockets land on different instances).
vi.mock('../support/test-app.js', async () => {
  const { startClusterTestApp } = await import('../support/cluster-test-app.js');
  return { startTestApp: startClusterTestApp };
});

const services = await requireClusterServices();

if (services.available) {
  const specs = import.meta.glob('../e2e/*.spec.ts');
  for (const load of Object.values(specs)) await load();
} else {
  describe.runIf(services.available)('the e2e specs on a cluster', () => {
    it(`need Redis and PostgreSQL: ${services.reason}`, () => undefined);
  });
}
