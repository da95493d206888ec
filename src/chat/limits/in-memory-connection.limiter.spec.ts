import { describe, expect, it } from 'vitest';
import { InMemoryConnectionLimiter } from './in-memory-connection.limiter.js';

describe('InMemoryConnectionLimiter', () => {
  it('grants exactly `maxPerUser` of many concurrent acquisitions', async () => {
    const limiter = new InMemoryConnectionLimiter(3);
    const leases = await Promise.all(Array.from({ length: 10 }, () => limiter.acquire(7)));
    expect(leases.filter(Boolean)).toHaveLength(3);
    expect(await limiter.acquire(8)).not.toBeNull();
  });

  it('gives a place back on release, once however often release is called', async () => {
    const limiter = new InMemoryConnectionLimiter(1);
    const lease = (await limiter.acquire(7))!;
    expect(await limiter.acquire(7)).toBeNull();
    lease.release();
    lease.release();
    expect(limiter.heldBy(7)).toBe(0);
    expect(await limiter.acquire(7)).not.toBeNull();
    expect(await limiter.acquire(7)).toBeNull();
  });
});
