import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config/app-config.js';
import { createApp } from '../../src/create-app.js';
import { currentRedisCluster } from './cluster-redis.js';
import { startRoundRobinProxy } from './round-robin-proxy.js';
import { deleteRedisKeys, dropSchema, postgresUrlFor, TEST_REDIS_URL, testNamespace } from './services.js';
import type * as singleInstance from './test-app.js';
import type { TestApp } from './test-app.js';
import { TEST_HASHING_ENV } from './test-hashing.js';

/** Instances behind one address. */
const INSTANCES = 3;

/**
 * Same signature as `startTestApp`, but the server is a three-instance cluster (in this
 * process, on the file's Redis Cluster when `runOnCluster` started one, else the local
 * Redis, and the local PostgreSQL; fresh prefix and schema) behind a round-robin proxy: every new connection goes to the next instance. `app` is the first
 * instance. Lets the e2e specs run unchanged against a cluster.
 */
export const startClusterTestApp: typeof singleInstance.startTestApp = async (env = {}, options = {}) => {
  const namespace = testNamespace();
  const redisCluster = currentRedisCluster();
  const config = loadConfig({
    DATABASE_URL: postgresUrlFor(namespace),
    REDIS_URL: redisCluster?.url ?? TEST_REDIS_URL,
    CHAT_REDIS_PREFIX: `${namespace}:`,
    ...TEST_HASHING_ENV,
    ...env,
  });
  const apps: INestApplication[] = [];
  const cleanup = async () => {
    for (const app of apps.reverse()) await app.close();
    await dropSchema(namespace).catch(() => undefined);
    // a Redis Cluster is the file's own, removed with its keys after the file
    if (!redisCluster) await deleteRedisKeys(`${namespace}:`).catch(() => undefined);
  };
  try {
    for (let i = 0; i < INSTANCES; i++) {
      const app = await createApp(config, {
        overrides: options.overrides,
        logger: process.env.FORUM_CHAT_TEST_LOGS ? undefined : false,
      });
      apps.push(app);
      await app.listen(0, '127.0.0.1');
    }
  } catch (error) {
    await cleanup();
    throw error;
  }
  const ports = apps.map((app) => (app.getHttpServer().address() as AddressInfo).port);
  const proxy = await startRoundRobinProxy(ports);
  const result: TestApp = {
    app: apps[0],
    apps,
    config,
    port: proxy.port,
    baseUrl: `http://127.0.0.1:${proxy.port}`,
    wsUrl: `ws://127.0.0.1:${proxy.port}/ws`,
    dataDir: options.dataDir ?? '',
    close: async () => {
      await proxy.close();
      await cleanup();
    },
  };
  return result;
};

/** `startClusterTestApp` under the name the e2e specs import, for `vi.mock` of `test-app.js`. */
export const startTestApp = startClusterTestApp;
