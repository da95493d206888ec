import type { TestingModuleBuilder } from '@nestjs/testing';
import type { ChatTestApp } from './chat-test-app.js';
import { createInMemoryPorts } from './in-memory-ports.js';
import { ChatTestOptions, startChatTest } from './start-chat-test.js';

/** Several instances of one app that behave as a cluster, and how to close them all. */
export interface ChatTestCluster {
  instances: ChatTestApp[];
  close(): Promise<void>;
}

/**
 * `count` instances of the app `makeBuilder` builds (one fresh builder per instance),
 * each on its own port, sharing one in-process fan-out bus, presence, message store and
 * rate limits: cluster behaviour (a message sent on one instance reaches sockets on the
 * others, presence counted across instances, 4401 everywhere) without Redis.
 */
export async function startChatCluster(
  count: number,
  makeBuilder: () => TestingModuleBuilder,
  options: Omit<ChatTestOptions, 'ports'> = {},
): Promise<ChatTestCluster> {
  const shared = createInMemoryPorts();
  const instances: ChatTestApp[] = [];
  const close = async () => {
    for (const instance of instances.reverse()) await instance.close();
    await shared.close();
  };
  try {
    for (let i = 0; i < count; i++) instances.push(await startChatTest(makeBuilder(), { ...options, ports: shared }));
  } catch (error) {
    await close();
    throw error;
  }
  return { instances: [...instances], close };
}
