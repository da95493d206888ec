import type { ConnectionLease, ConnectionLimiter } from './connection-limiter.js';

/**
 * `ConnectionLimiter` of one instance: counts the leases each user holds on this
 * process (a user with no lease takes no memory). In cluster mode each instance counts
 * its own sockets, so a user may hold `maxPerUser` sockets per instance.
 */
export class InMemoryConnectionLimiter implements ConnectionLimiter {
  private readonly held = new Map<number, number>();

  constructor(private readonly maxPerUser: number) {}

  async acquire(userId: number): Promise<ConnectionLease | null> {
    const count = this.held.get(userId) ?? 0;
    if (count >= this.maxPerUser) return null;
    this.held.set(userId, count + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const left = (this.held.get(userId) ?? 1) - 1;
        if (left <= 0) this.held.delete(userId);
        else this.held.set(userId, left);
      },
    };
  }

  /** Leases `userId` holds now. */
  heldBy(userId: number): number {
    return this.held.get(userId) ?? 0;
  }
}
