import { vi } from 'vitest';
import { runOnCluster } from '../support/on-cluster.js';

// test/e2e/room-moderators.spec.ts, unchanged, against three instances behind a round-robin proxy.
vi.mock('../support/test-app.js', () => import('../support/cluster-test-app.js'));

await runOnCluster(() => import('../e2e/room-moderators.spec.js'));
