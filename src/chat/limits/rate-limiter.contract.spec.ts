import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryRateLimiter } from './in-memory-rate.limiter.js';
import type { RateLimiter } from './rate-limiter.js';
import { RedisRateLimiter } from './redis-rate.limiter.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The Redis suite needs the local Redis; unreachable, it fails with a clear message (never skipped). */
async function connectRedis(prefix: string): Promise<RedisRateLimiter> {
  try {
    return await RedisRateLimiter.connect(REDIS_URL, { prefix });
  } catch (error) {
    throw new Error(
      `Redis at ${REDIS_URL} is required for this suite (start redis-server): ${(error as Error).message}`,
    );
  }
}

describe.each([
  { name: 'InMemoryRateLimiter', make: async () => new InMemoryRateLimiter() as RateLimiter },
  {
    name: 'RedisRateLimiter',
    make: () => connectRedis(`forum-chat-test:${process.pid}:${randomBytes(4).toString('hex')}:`),
  },
])('RateLimiter contract: $name', ({ make }) => {
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
  it('two limiters on one prefix share each bucket (two instances of a cluster)', async () => {
    const prefix = `forum-chat-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
    const [a, b] = await Promise.all([connectRedis(prefix), connectRedis(prefix)]);
    const spec = { rate: 1, perMs: 60_000, burst: 6 };
    const decisions = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).take('shared', spec)));
    await Promise.all([a.close(), b.close()]);
    expect(decisions.filter((d) => d.allowed)).toHaveLength(6);
  });

  it('rejects at connect when Redis does not answer', async () => {
    await expect(RedisRateLimiter.connect('redis://127.0.0.1:1', { commandTimeoutMs: 200 })).rejects.toThrow();
  });
});
