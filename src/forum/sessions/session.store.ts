/** A stored session. `key` is the SHA-256 of the token the client holds, never the token. */
export interface SessionRecord {
  key: string;
  userId: number;
  expiresAt: number;
}

/** A live session with the nickname of its user: all a session check needs, read at once. */
export interface LiveSession extends SessionRecord {
  nickname: string;
}

/**
 * The forum's login sessions, stored by the hash of their token so a leaked database
 * yields no usable session. `find` returns only sessions that are neither revoked nor
 * expired at `now` and whose user exists, with the user's nickname (one read, where a
 * session check would otherwise need a second one for the user).
 */
export interface SessionStore {
  create(session: SessionRecord): Promise<void>;
  find(key: string, now: number): Promise<LiveSession | null>;
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
