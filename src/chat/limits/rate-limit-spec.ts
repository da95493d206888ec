/** A token-bucket rate: `rate` tokens refill every `perMs`, at most `burst` saved up. */
export interface RateLimitSpec {
  rate: number;
  perMs: number;
  burst: number;
}

const RATE_LIMIT_PATTERN = /^(\d+)\/(\d+)(ms|s|m)(?:,burst=(\d+))?$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000 } as const;

/**
 * Parses `CHAT_RATE_LIMIT` (`<n>/<duration>[,burst=<n>]`, e.g. `5/1s,burst=10`, or `off`).
 * Returns null for `off`; throws with a message stating the expected form otherwise.
 * Without `burst`, the burst equals the rate.
 */
export function parseRateLimit(text: string): RateLimitSpec | null {
  const value = text.trim();
  if (value === 'off') return null;
  const match = RATE_LIMIT_PATTERN.exec(value);
  if (!match) throw new Error(`expected "<n>/<duration>[,burst=<n>]" like "5/1s,burst=10", or "off"`);
  const rate = Number(match[1]);
  const perMs = Number(match[2]) * UNIT_MS[match[3] as keyof typeof UNIT_MS];
  const burst = match[4] === undefined ? rate : Number(match[4]);
  if (rate < 1 || perMs < 1 || burst < 1) throw new Error('expected every number to be at least 1');
  return { rate, perMs, burst };
}
