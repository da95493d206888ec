import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './create-rate-limiter.js';
import { InMemoryRateLimiter } from './in-memory-rate.limiter.js';
import { RedisRateLimiter } from './redis-rate.limiter.js';

describe('createRateLimiter', () => {
  it('is in-process without Redis', async () => {
    const limiter = await createRateLimiter(null, 'forum-chat:');
    expect(limiter).toBeInstanceOf(InMemoryRateLimiter);
    await limiter.close();
  });

  it('is shared through Redis in cluster mode (REDIS_URL)', async () => {
    const limiter = await createRateLimiter(
      process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      `forum-chat-test:${process.pid}:`,
    );
    expect(limiter).toBeInstanceOf(RedisRateLimiter);
    await limiter.close();
  });
});
