import { describe, expect, it } from 'vitest';
import { DEFAULT_PRESENCE_TTL_MS, presenceTimings } from './presence-timings.js';

describe('presenceTimings', () => {
  it.each([DEFAULT_PRESENCE_TTL_MS, 4_000, 500])(
    'notices a dead node well within a bound of %i ms and beats thrice per expiry',
    (ttl) => {
      const t = presenceTimings(ttl);
      expect(t.expiryMs + t.sweepMs).toBeLessThanOrEqual(ttl * 0.7 + 1);
      expect(t.heartbeatMs * 3).toBeLessThanOrEqual(t.expiryMs);
    },
  );
});
