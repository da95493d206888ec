import type { RateLimitSpec } from './rate-limit-spec.js';

/** What a client frame is charged to: messages share one bucket, other requests have their own. */
export type ChargedRequest =
  | 'message'
  | 'presence'
  | 'typing'
  | 'history'
  | 'conversations'
  | 'search_users'
  | 'mark_read'
  | 'rooms'
  | 'resume'
  | 'online_page'
  | 'moderation';

/**
 * The fixed per-user limits of the requests other than messages (whose limit is
 * `CHAT_RATE_LIMIT`). Each is a token bucket per user across all their sockets:
 * - `presence` (`join` and `leave` together) 2/s, burst 10 — each may make every
 *   client receive `user_joined`/`user_left`, so toggling must not be free;
 * - `typing` 5/s, burst 10 — more than a keyboard produces, nothing is stored;
 * - `history` 2/s, burst 20 — one database page (≤ 50 messages) each;
 * - `conversations` 2/s, burst 20 — one page (≤ 100 conversations) of an index each;
 * - `search_users` 5/s, burst 20 — one page (≤ 20 users) of the nickname index, as one types;
 * - `mark_read` 5/s, burst 20 — one row written and one frame to the user's sockets;
 * - `rooms` 2/s, burst 20 — the forum's room list and a few short index ranges per room;
 * - `resume` 1/s, burst 5 — up to 500 messages each;
 * - `online_page` 5/s, burst 20 — up to 500 online users each (a client pages through
 *   10,000 users in 20 requests);
 * - `moderation` (`mute`, `unmute`, `open_flags`, `resolve_flag`) 5/s, burst 20 — each asks
 *   the forum's room policy, and most write an audit entry.
 * A refused request is answered `rate_limited` with `retry_after_ms` and has no effect;
 * like every refused frame, each costs the socket and its account a unit of the refused-frame
 * budget (`RefusedFrames`: 1008 and the account's cool-down beyond it).
 */
export const REQUEST_LIMITS: Readonly<Record<Exclude<ChargedRequest, 'message'>, RateLimitSpec>> = {
  presence: { rate: 2, perMs: 1000, burst: 10 },
  typing: { rate: 5, perMs: 1000, burst: 10 },
  history: { rate: 2, perMs: 1000, burst: 20 },
  conversations: { rate: 2, perMs: 1000, burst: 20 },
  search_users: { rate: 5, perMs: 1000, burst: 20 },
  mark_read: { rate: 5, perMs: 1000, burst: 20 },
  rooms: { rate: 2, perMs: 1000, burst: 20 },
  resume: { rate: 1, perMs: 1000, burst: 5 },
  online_page: { rate: 5, perMs: 1000, burst: 20 },
  moderation: { rate: 5, perMs: 1000, burst: 20 },
};
