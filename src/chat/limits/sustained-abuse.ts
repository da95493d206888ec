/** The window in which refusals are counted toward sustained abuse. */
export const ABUSE_WINDOW_MS = 10_000;

/** Refusals tolerated within the window per token of burst: more than 3 × burst → 1008. */
export const ABUSE_BURST_FACTOR = 3;

/**
 * Counts the `rate_limited` refusals of each socket over a sliding window of
 * `ABUSE_WINDOW_MS`. `record` answers true exactly when the socket has been refused more
 * than `threshold` times within the window (the caller closes it with 1008). Holds at
 * most `threshold + 1` timestamps per socket and nothing for a socket it no longer sees.
 */
export class SustainedAbuse {
  private readonly refusals = new WeakMap<object, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  record(socket: object, threshold: number): boolean {
    const now = this.now();
    let times = this.refusals.get(socket);
    if (!times) this.refusals.set(socket, (times = []));
    while (times.length > 0 && now - times[0] >= ABUSE_WINDOW_MS) times.shift();
    times.push(now);
    if (times.length > threshold + 1) times.shift();
    return times.length > threshold;
  }
}
