import { InMemoryRateLimiter } from './in-memory-rate.limiter.js';
import type { RateLimiter } from './rate-limiter.js';
import { RedisRateLimiter } from './redis-rate.limiter.js';

/** The chat's `RateLimiter`: shared through Redis when `redisUrl` is set (cluster mode), else in-process. */
export async function createRateLimiter(redisUrl: string | null): Promise<RateLimiter> {
  return redisUrl ? RedisRateLimiter.connect(redisUrl) : new InMemoryRateLimiter();
}
