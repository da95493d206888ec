import { vi } from 'vitest';
import { runOnCluster } from '../support/on-cluster.js';

// test/e2e/read-state.spec.ts, unchanged, against three instances behind a round-robin proxy:
// the tabs of one user sit on different instances, so `read` crosses Redis.
vi.mock('../support/test-app.js', () => import('../support/cluster-test-app.js'));

await runOnCluster(() => import('../e2e/read-state.spec.js'));
