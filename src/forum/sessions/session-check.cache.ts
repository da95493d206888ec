import { Inject, Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { SessionEndedEvents } from './session-ended.events.js';
import { sessionKeyOf } from './session-token.js';
import { SessionStore } from './session.store.js';

/** How long a session check is reused (a nickname or an expiry read then is this old at most). */
export const SESSION_CHECK_TTL_MS = 30_000;
/** Most cached session checks; the oldest go first. */
export const SESSION_CHECK_MAX_ENTRIES = 100_000;
/**
 * How far each revocation look-up reaches back beyond the start of the previous one, as
 * `ForumChatBridge` does: covers instances whose clocks disagree (a revocation is stamped
 * with the revoking instance's clock) and revocations committed while a look-up ran.
 */
export const REVOCATION_LOOKBACK_MS = 10_000;

interface CachedCheck {
  user: AuthenticatedUser;
  cachedAt: number;
}

/**
 * Session checks (the forum session strategy's answer for a token) reused for
 * `SESSION_CHECK_TTL_MS`, keyed by the token's hash, without ever letting a revoked session
 * in: a check is reused only after a look-up of the revoked sessions that began after the
 * request arrived (`SessionStore.revokedSince`) found it still live. "After" is the order in
 * which this process saw them (look-ups are numbered), not the clock: a look-up begun in the
 * same millisecond as the request, or before the clock was set back, does not count. Such look-ups are
 * shared: a look-up begins at the end of the event-loop turn in which a request first needed
 * it (after the one running, if any), so every request that arrives in that turn, or while
 * one runs, waits for the same one; a burst of handshakes costs the store one small query
 * instead of a session look-up each — and a revocation made on any instance, or straight in
 * the database, counts from the moment it was stored. Sessions this instance ends (`SessionEndedEvents`, emitted
 * after the revocation was stored) are dropped at once. A check that started before a
 * revocation and ends after it is not kept. Unknown, expired and revoked sessions are
 * never cached.
 */
@Injectable()
export class SessionCheckCache {
  private readonly entries = new Map<string, CachedCheck>();
  /** Keys seen revoked recently (with when), which a check still running must not cache. */
  private readonly revoked = new Map<string, number>();
  /** How many revocation look-ups have begun (each one's number is this count when it began). */
  private lookUpsBegun = 0;
  /** Number of the latest look-up whose findings are applied. */
  private lookUpApplied = 0;
  private lookbackFrom: number;
  private running: { number: number; done: Promise<void> } | null = null;
  private queued: Promise<void> | null = null;

  constructor(
    @Inject(SessionStore) private readonly store: SessionStore,
    events: SessionEndedEvents,
    private readonly clock: () => number = Date.now,
  ) {
    this.lookbackFrom = clock() - REVOCATION_LOOKBACK_MS;
    events.onSessionsEnded((keys) => this.forget(keys));
  }

  /**
   * The user of `token`'s session: a reused check when one is cached and no revocation of
   * the session was stored before this call, else `check(token)` (whose live answer is then
   * cached).
   */
  async authenticate(
    token: string,
    check: (token: string) => Promise<AuthenticatedUser | null>,
  ): Promise<AuthenticatedUser | null> {
    const arrivedAt = this.clock();
    const lookUpsBefore = this.lookUpsBegun;
    const key = sessionKeyOf(token);
    if (this.usable(key, arrivedAt)) {
      try {
        await this.revocationsCheckedAfter(lookUpsBefore);
        const entry = this.entries.get(key);
        if (entry && this.usable(key, this.clock())) return entry.user;
      } catch {
        // the store did not answer the revocation look-up: check the session itself (which reports the store's failure)
      }
    }
    const user = await check(token);
    if (user && user.sessionKey === key) this.keep(key, user, arrivedAt);
    return user;
  }

  /** Drops the checks of these sessions (they ended) and refuses to cache checks of them still running. */
  forget(sessionKeys: Iterable<string>): void {
    const now = this.clock();
    for (const key of sessionKeys) {
      this.entries.delete(key);
      this.revoked.delete(key); // re-inserted last: the map stays in the order the revocations were seen
      this.revoked.set(key, now);
    }
  }

  /** How many checks are cached (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  private usable(key: string, now: number): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    if (now - entry.cachedAt < SESSION_CHECK_TTL_MS && entry.user.expiresAt > now) return true;
    this.entries.delete(key);
    return false;
  }

  private keep(key: string, user: AuthenticatedUser, checkStartedAt: number): void {
    const revokedAt = this.revoked.get(key);
    if (revokedAt !== undefined && revokedAt >= checkStartedAt - REVOCATION_LOOKBACK_MS) return;
    if (this.entries.size >= SESSION_CHECK_MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { user, cachedAt: checkStartedAt });
  }

  /** Resolves once a revocation look-up numbered above `lookUpsBefore` (begun after it was read) has been applied. */
  private revocationsCheckedAfter(lookUpsBefore: number): Promise<void> {
    if (this.lookUpApplied > lookUpsBefore) return Promise.resolve();
    const running = this.running;
    if (running && running.number > lookUpsBefore) return running.done;
    return this.nextLookUp();
  }

  /** The look-up that begins at the end of this turn, after the running one (shared by every request until it begins). */
  private nextLookUp(): Promise<void> {
    return (this.queued ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.running?.done.catch(() => undefined))
      .then(() => {
        this.queued = null;
        return this.lookUpRevocations();
      }));
  }

  private lookUpRevocations(): Promise<void> {
    const startedAt = this.clock();
    const number = ++this.lookUpsBegun;
    const done = (async () => {
      try {
        const keys = await this.store.revokedSince(this.lookbackFrom);
        this.forget(keys);
        this.pruneRevoked(startedAt);
        this.lookbackFrom = startedAt - REVOCATION_LOOKBACK_MS;
        this.lookUpApplied = Math.max(this.lookUpApplied, number);
      } finally {
        this.running = null;
      }
    })();
    this.running = { number, done };
    return done;
  }

  /** Forgets revocations older than any check that could still be running could have missed. */
  private pruneRevoked(now: number): void {
    for (const [key, at] of this.revoked) {
      if (now - at <= SESSION_CHECK_TTL_MS + REVOCATION_LOOKBACK_MS) break;
      this.revoked.delete(key);
    }
  }
}
