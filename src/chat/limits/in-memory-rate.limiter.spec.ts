import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InMemoryRateLimiter } from './in-memory-rate.limiter.js';

const FIVE_PER_SECOND_BURST_10 = { rate: 5, perMs: 1000, burst: 10 };

describe('InMemoryRateLimiter (token bucket)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-26T08:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('allows exactly `burst` takes at once, then refuses with the wait for one token', () => {
    const limiter = new InMemoryRateLimiter();
    const decisions = Array.from({ length: 12 }, () => limiter.takeNow('u1', FIVE_PER_SECOND_BURST_10));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
    expect(decisions.slice(0, 10).every((d) => d.allowed && d.retryAfterMs === 0)).toBe(true);
    expect(decisions[10]).toEqual({ allowed: false, retryAfterMs: 200 });
    expect(decisions[11]).toEqual({ allowed: false, retryAfterMs: 200 });
  });

  it('refills at `rate` per `perMs`, continuously, never above `burst`', () => {
    const limiter = new InMemoryRateLimiter();
    for (let i = 0; i < 10; i++) limiter.takeNow('u1', FIVE_PER_SECOND_BURST_10);
    vi.advanceTimersByTime(150);
    expect(limiter.takeNow('u1', FIVE_PER_SECOND_BURST_10)).toEqual({ allowed: false, retryAfterMs: 50 });
    vi.advanceTimersByTime(50);
    expect(limiter.takeNow('u1', FIVE_PER_SECOND_BURST_10).allowed).toBe(true);
    vi.advanceTimersByTime(60_000);
    const afterIdle = Array.from({ length: 11 }, () => limiter.takeNow('u1', FIVE_PER_SECOND_BURST_10).allowed);
    expect(afterIdle.filter(Boolean)).toHaveLength(10);
  });

  it('keeps one bucket per key', () => {
    const limiter = new InMemoryRateLimiter();
    const spec = { rate: 1, perMs: 60_000, burst: 1 };
    expect(limiter.takeNow('a', spec).allowed).toBe(true);
    expect(limiter.takeNow('a', spec).allowed).toBe(false);
    expect(limiter.takeNow('b', spec).allowed).toBe(true);
  });

  it('a refused take costs nothing: the wait shrinks with time only', () => {
    const limiter = new InMemoryRateLimiter();
    const spec = { rate: 1, perMs: 1000, burst: 1 };
    limiter.takeNow('a', spec);
    for (let i = 0; i < 100; i++) limiter.takeNow('a', spec);
    vi.advanceTimersByTime(1000);
    expect(limiter.takeNow('a', spec).allowed).toBe(true);
  });

  it('forgets buckets that are full again, so memory follows the active keys', () => {
    const limiter = new InMemoryRateLimiter();
    for (let i = 0; i < 1000; i++) limiter.takeNow(`ip-${i}`, FIVE_PER_SECOND_BURST_10);
    expect(limiter.size).toBe(1000);
    vi.advanceTimersByTime(60_000);
    limiter.takeNow('fresh', FIVE_PER_SECOND_BURST_10);
    expect(limiter.size).toBe(1);
  });
});
