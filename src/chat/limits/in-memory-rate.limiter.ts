import type { RateLimitSpec } from './rate-limit-spec.js';
import type { RateDecision, RateLimiter } from './rate-limiter.js';
import { BucketState, msUntilFull, takeToken } from './token-bucket.js';

/** How often, at most, buckets that have refilled completely are swept out. */
const SWEEP_EVERY_MS = 60_000;

/**
 * `RateLimiter` for one process: buckets in a `Map`, exact and synchronous underneath.
 * Memory stays bounded by the keys active within the last refill period: buckets that
 * are full again are dropped by a sweep run at most once a minute, on a `take`.
 */
export class InMemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, { state: BucketState; fullAt: number }>();
  private lastSweep: number;

  constructor(private readonly now: () => number = Date.now) {
    this.lastSweep = now();
  }

  /** Synchronous form of `take`, for callers in the same process. */
  takeNow(key: string, spec: RateLimitSpec): RateDecision {
    const now = this.now();
    if (now - this.lastSweep >= SWEEP_EVERY_MS) this.sweep(now);
    const { state, decision } = takeToken(this.buckets.get(key)?.state, spec, now);
    this.buckets.set(key, { state, fullAt: now + msUntilFull(state, spec) });
    return decision;
  }

  async take(key: string, spec: RateLimitSpec): Promise<RateDecision> {
    return this.takeNow(key, spec);
  }

  /** Number of buckets held (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  async close(): Promise<void> {
    this.buckets.clear();
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) if (bucket.fullAt <= now) this.buckets.delete(key);
  }
}
