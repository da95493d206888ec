import { InMemoryRateLimiter } from './in-memory-rate.limiter.js';
import type { RateLimiter } from './rate-limiter.js';
import { RedisRateLimiter } from './redis-rate.limiter.js';

/**
 * The chat's `RateLimiter`: shared through Redis when `redisUrl` is set (cluster mode),
 * its buckets under `<keyPrefix>rate:` so that clusters sharing one Redis never share
 * buckets; else in-process.
 */
export async function createRateLimiter(redisUrl: string | null, keyPrefix: string): Promise<RateLimiter> {
  return redisUrl ? RedisRateLimiter.connect(redisUrl, { prefix: `${keyPrefix}rate:` }) : new InMemoryRateLimiter();
}
