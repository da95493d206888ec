import { describe, it, vi } from 'vitest';
import { requireClusterServices } from '../support/services.js';

// e2e specs, unchanged, with their server replaced by a three-instance cluster behind a
// round-robin proxy (consecutive sockets land on different instances). A spec joins this
// list once the features it tests are cluster-wide.
vi.mock('../support/test-app.js', async () => {
  const { startClusterTestApp } = await import('../support/cluster-test-app.js');
  return { startTestApp: startClusterTestApp };
});

const services = await requireClusterServices();

if (services.available) {
  await import('../e2e/chat-room.spec.js');
} else {
  describe.runIf(services.available)('the e2e specs on a cluster', () => {
    it(`need Redis and PostgreSQL: ${services.reason}`, () => undefined);
  });
}
