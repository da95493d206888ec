/** How long to wait between reconnect attempts. */
export interface BackoffPolicy {
  /** Ceiling of the first delay, in milliseconds. Must be > 0. */
  initialMs: number;
  /** No delay is ever longer than this, in milliseconds. Must be >= initialMs. */
  maxMs: number;
  /** Growth of the ceiling per failed attempt. Must be >= 1. */
  factor: number;
  /**
   * A connection that stayed open at least this long counts as healthy: the next
   * failure starts again from `initialMs`. A connection that drops sooner keeps
   * growing the delay, so a server that accepts and immediately closes is not hammered.
   */
  resetAfterMs: number;
}

/** Defaults: 0.5 s, doubling, capped at 30 s; a connection open for 5 s resets the count. */
export const DEFAULT_BACKOFF: Readonly<BackoffPolicy> = Object.freeze({
  initialMs: 500,
  maxMs: 30_000,
  factor: 2,
  resetAfterMs: 5_000,
});

/**
 * The ceiling for attempt `attempt` (0-based): `min(maxMs, initialMs * factor^attempt)`.
 * Never exceeds `maxMs`, never overflows for large attempts.
 */
export function backoffCeiling(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const n = Math.max(0, Math.floor(attempt));
  const raw = policy.initialMs * Math.pow(policy.factor, n);
  return Number.isFinite(raw) ? Math.min(policy.maxMs, raw) : policy.maxMs;
}

/**
 * Exponential backoff with full jitter: a delay drawn uniformly from
 * `[0, backoffCeiling(attempt))`, in whole milliseconds. Spreading clients over the whole
 * window keeps a server that comes back from being hit by everyone at once.
 * `random` must return a number in `[0, 1)`, like `Math.random`.
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const ceiling = backoffCeiling(attempt, policy);
  const r = Math.min(Math.max(random(), 0), 1 - Number.EPSILON);
  return Math.floor(r * ceiling);
}
