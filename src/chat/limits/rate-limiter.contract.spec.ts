import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALWAYS,
  describeWithServices,
  requireServices,
  TEST_REDIS_URL,
  testNamespace,
} from '../../../test/support/services.js';
import { InMemoryRateLimiter } from './in-memory-rate.limiter.js';
import type { RateLimiter } from './rate-limiter.js';
import { RedisRateLimiter } from './redis-rate.limiter.js';

const REDIS_URL = TEST_REDIS_URL;

const redisProbe = await requireServices('redis');

const subjects = [
  { name: 'InMemoryRateLimiter', probe: ALWAYS, make: async () => new InMemoryRateLimiter() as RateLimiter },
  {
    name: 'RedisRateLimiter',
    probe: redisProbe,
    make: () => RedisRateLimiter.connect(REDIS_URL, { prefix: `${testNamespace()}:` }) as Promise<RateLimiter>,
  },
];

for (const { name, probe, make } of subjects)
  describeWithServices(probe, `RateLimiter contract: ${name}`, () => {
    let limiter: RateLimiter;

    beforeAll(async () => {
      limiter = await make();
    });
    afterAll(async () => {
      await limiter.close();
    });

    it('N concurrent takes on a full bucket of k allow exactly k', async () => {
      const spec = { rate: 1, perMs: 60_000, burst: 10 };
      const decisions = await Promise.all(Array.from({ length: 25 }, () => limiter.take('burst', spec)));
      expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
      const refused = decisions.filter((d) => !d.allowed);
      expect(refused.every((d) => d.retryAfterMs > 0 && d.retryAfterMs <= 60_000)).toBe(true);
    });

    it('refills: after retry_after_ms one more take is allowed', async () => {
      const spec = { rate: 1, perMs: 100, burst: 1 };
      expect((await limiter.take('refill', spec)).allowed).toBe(true);
      const refused = await limiter.take('refill', spec);
      expect(refused.allowed).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, refused.retryAfterMs + 5));
      expect((await limiter.take('refill', spec)).allowed).toBe(true);
    });

    it('keys are independent', async () => {
      const spec = { rate: 1, perMs: 60_000, burst: 1 };
      expect((await limiter.take('k1', spec)).allowed).toBe(true);
      expect((await limiter.take('k1', spec)).allowed).toBe(false);
      expect((await limiter.take('k2', spec)).allowed).toBe(true);
    });
  });

describe('RedisRateLimiter', () => {
  describeWithServices(redisProbe, 'on the local Redis', () => {
    it('two limiters on one prefix share each bucket (two instances of a cluster)', async () => {
      const prefix = `${testNamespace()}:`;
      const [a, b] = await Promise.all([
        RedisRateLimiter.connect(REDIS_URL, { prefix }),
        RedisRateLimiter.connect(REDIS_URL, { prefix }),
      ]);
      const spec = { rate: 1, perMs: 60_000, burst: 6 };
      const decisions = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).take('shared', spec)));
      await Promise.all([a.close(), b.close()]);
      expect(decisions.filter((d) => d.allowed)).toHaveLength(6);
    });
  });

  it('rejects at connect when Redis does not answer', async () => {
    await expect(RedisRateLimiter.connect('redis://127.0.0.1:1', { commandTimeoutMs: 200 })).rejects.toThrow();
  });
});
