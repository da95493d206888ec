import type { RateLimitSpec } from './rate-limit-spec.js';
import type { RateDecision } from './rate-limiter.js';

/** One bucket's state: tokens held at `updatedAt` (epoch ms). */
export interface BucketState {
  tokens: number;
  updatedAt: number;
}

/**
 * The token-bucket arithmetic, shared by every `RateLimiter`: refills `state` up to
 * `now`, then takes one token if there is one. Pure: returns the new state and the
 * decision; a refusal leaves the token count as refilled. The Redis Lua script
 * implements the same steps.
 */
export function takeToken(
  state: BucketState | undefined,
  spec: RateLimitSpec,
  now: number,
): { state: BucketState; decision: RateDecision } {
  const perToken = spec.perMs / spec.rate;
  let tokens = spec.burst;
  if (state) {
    const elapsed = Math.max(0, now - state.updatedAt);
    tokens = Math.min(spec.burst, state.tokens + elapsed / perToken);
  }
  if (tokens >= 1)
    return { state: { tokens: tokens - 1, updatedAt: now }, decision: { allowed: true, retryAfterMs: 0 } };
  const retryAfterMs = Math.max(1, Math.ceil((1 - tokens) * perToken));
  return { state: { tokens, updatedAt: now }, decision: { allowed: false, retryAfterMs } };
}

/** Milliseconds until a bucket in `state` is full again (after which it may be forgotten). */
export function msUntilFull(state: BucketState, spec: RateLimitSpec): number {
  return Math.ceil(((spec.burst - state.tokens) * spec.perMs) / spec.rate);
}
