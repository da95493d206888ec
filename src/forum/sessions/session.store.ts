/** A stored session. `key` is the SHA-256 of the token the client holds, never the token. */
export interface SessionRecord {
  key: string;
  userId: number;
  expiresAt: number;
}

/**
 * The forum's login sessions, stored by the hash of their token so a leaked database
 * yields no usable session. `find` returns only sessions that are neither revoked nor
 * expired at `now`.
 */
export interface SessionStore {
  create(session: SessionRecord): Promise<void>;
  find(key: string, now: number): Promise<SessionRecord | null>;
  /** Revokes one session; resolves true when it was live. */
  revoke(key: string): Promise<boolean>;
  /** Revokes every live session of a user; resolves the keys it revoked. */
  revokeAllOfUser(userId: number): Promise<string[]>;
  /**
   * Keys of the sessions revoked at or after `since` (epoch ms, the revoking instance's
   * clock), whatever instance revoked them: what each instance re-checks its live sockets
   * against, so a revocation whose announcement was lost still ends them.
   */
  revokedSince(since: number): Promise<string[]>;
}

/** Injection token of the `SessionStore`. */
export const SessionStore = Symbol('SessionStore');
