import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  describeWithServices,
  requireServices,
  TEST_REDIS_URL,
  testNamespace,
} from '../../../test/support/services.js';
import { ChatError } from '../chat.errors.js';
import type { ResolvedChatOptions } from '../chat.options.js';
import { ChatRateLimits } from './chat-rate-limits.js';
import { InMemoryRateLimiter } from './in-memory-rate.limiter.js';
import { RedisRateLimiter } from './redis-rate.limiter.js';
import { REQUEST_LIMITS } from './request-limits.js';

const options = (rateLimit: ResolvedChatOptions['rateLimit']) => ({ rateLimit }) as ResolvedChatOptions;

async function refusal(promise: Promise<void>): Promise<ChatError | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    return error as ChatError;
  }
}

const redisProbe = await requireServices('redis');

describe('ChatRateLimits', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-26T08:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('charges messages to CHAT_RATE_LIMIT per user and refuses with rate_limited + retry_after_ms', async () => {
    const limits = new ChatRateLimits(options({ rate: 5, perMs: 1000, burst: 10 }), new InMemoryRateLimiter());
    for (let i = 0; i < 10; i++) expect(await refusal(limits.charge('message', 1))).toBeNull();
    const refused = await refusal(limits.charge('message', 1));
    expect(refused).toBeInstanceOf(ChatError);
    expect(refused).toMatchObject({ code: 'rate_limited', retryAfterMs: 200 });
    expect(await refusal(limits.charge('message', 2))).toBeNull();
    vi.advanceTimersByTime(200);
    expect(await refusal(limits.charge('message', 1))).toBeNull();
  });

  it('keeps each request kind in its own bucket with its documented burst', async () => {
    const limits = new ChatRateLimits(options({ rate: 5, perMs: 1000, burst: 10 }), new InMemoryRateLimiter());
    for (const [kind, spec] of Object.entries(REQUEST_LIMITS)) {
      for (let i = 0; i < spec.burst; i++)
        expect(await refusal(limits.charge(kind as keyof typeof REQUEST_LIMITS, 1))).toBeNull();
      expect(await refusal(limits.charge(kind as keyof typeof REQUEST_LIMITS, 1))).toMatchObject({
        code: 'rate_limited',
      });
    }
    expect(await refusal(limits.charge('message', 1))).toBeNull();
  });

  it('never limits messages when CHAT_RATE_LIMIT=off', async () => {
    const limits = new ChatRateLimits(options(null), new InMemoryRateLimiter());
    for (let i = 0; i < 1000; i++) expect(await refusal(limits.charge('message', 1))).toBeNull();
  });

  describeWithServices(redisProbe, 'on a Redis limiter', () => {
    it('lets requests through when the limiter fails (Redis gone)', async () => {
      vi.useRealTimers();
      const redis = await RedisRateLimiter.connect(TEST_REDIS_URL, { prefix: `${testNamespace()}:` });
      await redis.close();
      const limits = new ChatRateLimits(options({ rate: 1, perMs: 60_000, burst: 1 }), redis);
      for (let i = 0; i < 3; i++) expect(await refusal(limits.charge('message', 1))).toBeNull();
    });
  });
});
