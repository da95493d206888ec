import { closeRedis, openRedis, type RedisClient } from '../../drivers/redis-connection.js';
import type { RateLimitSpec } from './rate-limit-spec.js';
import type { RateDecision, RateLimiter } from './rate-limiter.js';

/**
 * The token-bucket step of `token-bucket.ts` as one Lua script, so the read, the refill
 * and the take are atomic on the Redis server. Time is the server's (`TIME`), the same
 * clock for every instance. The key expires once the bucket would be full again.
 */
const TAKE_TOKEN_LUA = `
local rate = tonumber(ARGV[1])
local per_ms = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local per_token = per_ms / rate
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = burst
if state[1] then
  local elapsed = math.max(0, now - tonumber(state[2]))
  tokens = math.min(burst, tonumber(state[1]) + elapsed / per_token)
end
local allowed = 0
local retry = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  retry = math.max(1, math.ceil((1 - tokens) * per_token))
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) * per_token) + 1000)
return {allowed, retry}
`;

/** Key prefix of the chat's rate-limit buckets in Redis. */
export const DEFAULT_RATE_LIMIT_PREFIX = 'forum-chat:rate:';

/**
 * `RateLimiter` shared by every instance through Redis: each bucket is one hash under
 * `prefix`, updated by an atomic Lua script. A take fails (rejects) rather than waits
 * when Redis does not answer within `commandTimeoutMs`; the caller decides what a
 * failure means.
 */
export class RedisRateLimiter implements RateLimiter {
  private constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  /**
   * Connects to `url` (through `openRedis`: named, no offline queue, outages logged once,
   * reconnecting by itself) and resolves once Redis answers; rejects when it cannot connect.
   */
  static async connect(
    url: string,
    options: { prefix?: string; commandTimeoutMs?: number } = {},
  ): Promise<RedisRateLimiter> {
    const prefix = options.prefix ?? DEFAULT_RATE_LIMIT_PREFIX;
    const redis = openRedis(url, `${prefix}limiter`, undefined, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      commandTimeout: options.commandTimeoutMs ?? 1000,
    });
    redis.defineCommand('forumChatTakeToken', { numberOfKeys: 1, lua: TAKE_TOKEN_LUA });
    try {
      await redis.connect();
    } catch (error) {
      redis.disconnect();
      throw error;
    }
    return new RedisRateLimiter(redis, prefix);
  }

  async take(key: string, spec: RateLimitSpec): Promise<RateDecision> {
    const command = (this.redis as unknown as Record<string, (...args: unknown[]) => Promise<[number, number]>>)
      .forumChatTakeToken;
    const [allowed, retryAfterMs] = await command.call(
      this.redis,
      this.prefix + key,
      spec.rate,
      spec.perMs,
      spec.burst,
    );
    return { allowed: allowed === 1, retryAfterMs: Number(retryAfterMs) };
  }

  close(): Promise<void> {
    return closeRedis(this.redis);
  }
}
