import { vi } from 'vitest';
import { runOnCluster } from '../support/on-cluster.js';

// test/e2e/brute-force.spec.ts, unchanged, against three instances behind a round-robin
// proxy: PostgreSQL's stores and the Redis-backed buckets.
vi.mock('../support/test-app.js', () => import('../support/cluster-test-app.js'));

await runOnCluster(() => import('../e2e/brute-force.spec.js'));
