import type { RateLimitSpec } from './rate-limit-spec.js';

/** The answer of a `RateLimiter`: allowed, or refused with the wait until one more is allowed. */
export interface RateDecision {
  allowed: boolean;
  /** 0 when allowed; otherwise milliseconds until the bucket holds one token again (≥ 1). */
  retryAfterMs: number;
}

/**
 * Token buckets by key. `take` removes one token from the bucket `key` if it holds one;
 * a bucket starts full (`spec.burst` tokens) and refills continuously at `spec.rate`
 * tokens per `spec.perMs`, never above `burst`. The check and the removal are one atomic
 * step: N concurrent takes on a bucket holding k tokens allow exactly min(N, k) of them,
 * whichever sockets, processes or instances they come from (the Redis implementation
 * counts across instances). A refused take costs nothing. Buckets left untouched until
 * they are full again may be forgotten (a forgotten bucket is a full one).
 */
export interface RateLimiter {
  take(key: string, spec: RateLimitSpec): Promise<RateDecision>;
  /** Releases what the limiter holds (connections, timers). */
  close(): Promise<void>;
}

/** Injection token of the chat's `RateLimiter`. */
export const RateLimiter = Symbol('RateLimiter');
