import { afterEach, beforeEach } from 'vitest';
import { deleteRedisKeys, testNamespace } from './services.js';

/** What a contract subject opens for one test: the instances under test and how to throw them away. */
export interface OpenedSubject {
  cleanup(): Promise<void>;
}

/**
 * Opens a fresh subject before each test of the enclosing suite, hands it to `use` (which
 * assigns the suite's variables) and cleans it up after the test.
 */
export function openForEachTest<T extends OpenedSubject>(open: () => Promise<T>, use: (opened: T) => void): void {
  let opened: T | undefined;
  beforeEach(async () => {
    opened = await open();
    use(opened);
  });
  afterEach(async () => {
    await opened?.cleanup();
    opened = undefined;
  });
}

/**
 * Two nodes of a Redis-backed port under one fresh key prefix (`open` makes one node); the
 * cleanup closes both and deletes every key under the prefix.
 */
export async function twoRedisNodes<T extends { close(): Promise<void> }>(
  open: (keyPrefix: string, nodeId: string) => Promise<T>,
): Promise<{ node1: T; node2: T } & OpenedSubject> {
  const keyPrefix = `${testNamespace()}:`;
  const [node1, node2] = await Promise.all([open(keyPrefix, 'node-1'), open(keyPrefix, 'node-2')]);
  return {
    node1,
    node2,
    cleanup: async () => {
      await Promise.all([node1.close(), node2.close()]);
      await deleteRedisKeys(keyPrefix);
    },
  };
}
