import { vi } from 'vitest';
import { runOnCluster } from '../support/on-cluster.js';

// test/e2e/rooms.spec.ts, unchanged, against three instances (Redis fan-out, PostgreSQL stores).
vi.mock('../support/test-app.js', () => import('../support/cluster-test-app.js'));

await runOnCluster(() => import('../e2e/rooms.spec.js'));
