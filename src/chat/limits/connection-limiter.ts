/** One socket a user is allowed to hold; `release` gives the place back (idempotent). */
export interface ConnectionLease {
  release(): void;
}

/**
 * Caps the sockets one user holds at once. `acquire` reserves a place before the
 * upgrade is accepted and resolves null when the user already holds the maximum; the
 * reservation is atomic, so N concurrent handshakes of a user with k places left get
 * exactly min(N, k) leases. The holder releases the lease when its connection ends,
 * whether or not the upgrade completed.
 */
export interface ConnectionLimiter {
  acquire(userId: number): Promise<ConnectionLease | null>;
}

/** Injection token of the chat's `ConnectionLimiter`. */
export const ConnectionLimiter = Symbol('ConnectionLimiter');
