import { Logger } from '@nestjs/common';
import type { Cluster, Redis, RedisOptions } from 'ioredis';
import { requirePeer } from './optional-peer.js';
import { parseRedisUrl, RedisLocation } from './redis-url.js';

/** A connection to one Redis server or to a Redis Cluster (ioredis `Redis` or `Cluster`). */
export type RedisClient = Redis | Cluster;

/** Options of `openRedis` beyond the defaults; `shardedSubscribers` only matters on a cluster. */
export type RedisConnectionOptions = RedisOptions & { shardedSubscribers?: boolean };

/** How long a port waits at start for Redis before it starts anyway (degraded, `/health` 503). */
export const REDIS_START_TIMEOUT_MS = 5_000;
/** Longest a command may wait for Redis's answer before it is failed (Redis paused, network stalled). */
export const REDIS_COMMAND_TIMEOUT_MS = 2_000;
/** Reconnection back-off: grows per attempt, capped so a returning Redis is found quickly. */
const RECONNECT_STEP_MS = 100;
const RECONNECT_MAX_MS = 1_000;

/** Counts of a connection's outages, for metrics. */
export interface RedisOutageCounters {
  /** Times the connection went from ready to lost. */
  outages: number;
}

/**
 * Opens one ioredis connection for forum-chat, to the Redis server or the Redis Cluster
 * `url` names (`parseRedisUrl`): it never queues commands while disconnected (they fail
 * at once, so callers degrade instead of piling up), fails a command after
 * `REDIS_COMMAND_TIMEOUT_MS`, reconnects forever with a capped back-off, and names itself
 * `name` on the server (`CLIENT LIST`; on a cluster, each node connection). Errors are
 * logged once per outage — when the connection is lost and when it is back — never per
 * command, and never become unhandled. Needs the optional package ioredis (a
 * `MissingPeerError` names it when absent).
 */
export function openRedis(
  url: string,
  name: string,
  counters: RedisOutageCounters = { outages: 0 },
  extra: RedisConnectionOptions = {},
): RedisClient {
  const location = parseRedisUrl(url);
  if (!location) throw new Error(`not a Redis URL: ${url}`);
  const logger = new Logger(`Redis ${name}`);
  const redis = connect(location, name, extra);
  let down = false;
  redis.on('ready', () => {
    if (down) logger.log('connection restored');
    down = false;
  });
  const lost = (reason: string) => {
    if (down) return;
    down = true;
    counters.outages += 1;
    logger.error(`Redis unreachable (${reason}); retrying until it answers`);
  };
  redis.on('error', (error: Error) => lost(error.message));
  // a connection the server closed (CLIENT KILL, restart) reconnects without an 'error'
  redis.on('reconnecting', () => lost('connection closed'));
  return redis;
}

function connect(location: RedisLocation, name: string, extra: RedisConnectionOptions): RedisClient {
  const driver = requirePeer<typeof import('ioredis')>('ioredis', 'a Redis URL (cluster mode)');
  const retry = (attempt: number) => Math.min(attempt * RECONNECT_STEP_MS, RECONNECT_MAX_MS);
  const { shardedSubscribers = false, lazyConnect, ...nodeOptions } = extra;
  const common: RedisOptions = {
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    retryStrategy: retry,
    ...nodeOptions,
  };
  if (location.kind === 'single') return new driver.Redis(location.url, { ...common, lazyConnect });
  return new driver.Cluster(location.seeds, {
    enableOfflineQueue: false,
    lazyConnect,
    shardedSubscribers,
    clusterRetryStrategy: retry,
    redisOptions: {
      ...common,
      username: location.username,
      password: location.password,
      ...(location.tls ? { tls: {} } : {}),
    },
  });
}

/**
 * Resolves true once `redis` is ready, or false after `timeoutMs` (it keeps trying in the
 * background: a process may start while Redis is down and join when it is back).
 */
export function waitReady(redis: RedisClient, timeoutMs: number): Promise<boolean> {
  if (isReady(redis)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ready: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ready);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    redis.on('ready', onReady);
  });
}

/** Whether `redis` is connected and past its ready check. */
export function isReady(redis: RedisClient): boolean {
  return redis.status === 'ready';
}

/** Closes `redis` politely (pending replies first), or drops it when Redis does not answer. */
export async function closeRedis(redis: RedisClient): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  await redis.quit().catch(() => redis.disconnect());
}
