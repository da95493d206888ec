/** Default bound, in ms, for reporting the users of a dead node as gone (the contract's 20 s). */
export const DEFAULT_PRESENCE_TTL_MS = 20_000;

/** How a presence bound splits into the node heartbeat, the node expiry and the sweep period. */
export interface PresenceTimings {
  /** A node pushes its deadline forward this often. Must be well under `expiryMs`. */
  heartbeatMs: number;
  /** A node whose last heartbeat is older than this is dead. */
  expiryMs: number;
  /** Every node looks for dead nodes this often. `expiryMs + sweepMs` must stay under the bound. */
  sweepMs: number;
}

/**
 * Splits the bound `ttlMs` (a node dies → its users are reported gone within it): the
 * node expires 60 % of the bound after its last heartbeat and every node looks for dead
 * ones every 10 % (one cheap script call), so detection takes at most 70 % of the bound,
 * leaving room for the announcement under load; a node beats three times per expiry, so
 * one or two late heartbeats (a pause of the event loop) do not kill a living node.
 */
export function presenceTimings(ttlMs: number): PresenceTimings {
  const expiryMs = Math.round(ttlMs * 0.6);
  return {
    expiryMs,
    heartbeatMs: Math.max(50, Math.floor(expiryMs / 3)),
    sweepMs: Math.max(50, Math.floor(ttlMs * 0.1)),
  };
}
