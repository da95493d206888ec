import { ABUSE_WINDOW_MS } from './sustained-abuse.js';

/**
 * Refusals per account over a sliding window of `ABUSE_WINDOW_MS`, across all of the
 * account's sockets. `record` answers true exactly when the account has been refused more
 * than `threshold` times within the window. Holds at most `threshold + 1` timestamps per
 * account, and forgets accounts with no refusal in the last window (swept once a window).
 */
export class AccountRefusals {
  private readonly refusals = new Map<number, number[]>();
  private sweptAt: number;

  constructor(private readonly now: () => number = Date.now) {
    this.sweptAt = now();
  }

  record(userId: number, threshold: number): boolean {
    const now = this.now();
    this.sweep(now);
    let times = this.refusals.get(userId);
    if (!times) this.refusals.set(userId, (times = []));
    while (times.length > 0 && now - times[0] >= ABUSE_WINDOW_MS) times.shift();
    times.push(now);
    if (times.length > threshold + 1) times.shift();
    return times.length > threshold;
  }

  private sweep(now: number): void {
    if (now - this.sweptAt < ABUSE_WINDOW_MS) return;
    this.sweptAt = now;
    for (const [userId, times] of this.refusals)
      if (times.length === 0 || now - times[times.length - 1] >= ABUSE_WINDOW_MS) this.refusals.delete(userId);
  }
}
