import { describe, expect, it } from 'vitest';
import {
  describeWithServices,
  requireServices,
  TEST_REDIS_URL,
  testNamespace,
} from '../../../test/support/services.js';
import { createRateLimiter } from './create-rate-limiter.js';
import { InMemoryRateLimiter } from './in-memory-rate.limiter.js';
import { RedisRateLimiter } from './redis-rate.limiter.js';

const redisProbe = await requireServices('redis');

describe('createRateLimiter', () => {
  it('is in-process without Redis', async () => {
    const limiter = await createRateLimiter(null, 'forum-chat:');
    expect(limiter).toBeInstanceOf(InMemoryRateLimiter);
    await limiter.close();
  });

  describeWithServices(redisProbe, 'in cluster mode', () => {
    it('is shared through Redis in cluster mode (REDIS_URL)', async () => {
      const limiter = await createRateLimiter(TEST_REDIS_URL, `${testNamespace()}:`);
      expect(limiter).toBeInstanceOf(RedisRateLimiter);
      await limiter.close();
    });
  });
});
