import { InMemoryRateLimiter } from './in-memory-rate.limiter.js';
import type { RateLimiter } from './rate-limiter.js';
import { RedisRateLimiter } from './redis-rate.limiter.js';

/**
 * A `RateLimiter`: shared through Redis when `redisUrl` is set (cluster mode, needs the
 * optional package ioredis), its buckets under `<keyPrefix><name>:` so that clusters and
 * uses sharing one Redis never share buckets; else in-process.
 */
export async function createRateLimiter(
  redisUrl: string | null,
  keyPrefix: string,
  name = 'rate',
): Promise<RateLimiter> {
  return redisUrl ? RedisRateLimiter.connect(redisUrl, { prefix: `${keyPrefix}${name}:` }) : new InMemoryRateLimiter();
}
