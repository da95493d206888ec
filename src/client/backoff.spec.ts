import { backoffCeiling, backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';

const policy: BackoffPolicy = { initialMs: 100, maxMs: 5_000, factor: 2, resetAfterMs: 1_000 };

describe('backoffCeiling', () => {
  it('grows exponentially from initialMs', () => {
    expect([0, 1, 2, 3, 4].map((a) => backoffCeiling(a, policy))).toEqual([100, 200, 400, 800, 1600]);
  });

  it('is capped at maxMs, even for huge attempts', () => {
    expect(backoffCeiling(6, policy)).toBe(5_000);
    expect(backoffCeiling(10_000, policy)).toBe(5_000);
    expect(backoffCeiling(10_000, DEFAULT_BACKOFF)).toBe(DEFAULT_BACKOFF.maxMs);
  });
});

describe('backoffDelay (full jitter)', () => {
  it('spans [0, ceiling): the lowest draw waits 0, the highest stays below the ceiling', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.999_999)).toBe(799);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(400);
  });

  it('never reaches the ceiling even if the random source returns 1 or more', () => {
    expect(backoffDelay(2, policy, () => 1)).toBeLessThan(400);
    expect(backoffDelay(2, policy, () => -1)).toBe(0);
  });

  it('keeps every real random draw within bounds and spreads them over the window', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = backoffCeiling(attempt, policy);
      const draws = Array.from({ length: 500 }, () => backoffDelay(attempt, policy));
      for (const d of draws) {
        expect(Number.isInteger(d)).toBe(true);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(ceiling);
      }
      expect(Math.min(...draws)).toBeLessThan(ceiling * 0.25);
      expect(Math.max(...draws)).toBeGreaterThan(ceiling * 0.75);
    }
  });
});
