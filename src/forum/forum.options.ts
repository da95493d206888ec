import type { RateLimitSpec } from '../chat/index.js';
import type { HashingBound } from './auth/hashing-gate.js';
import type { Argon2idParameters } from './auth/argon2id-parameters.js';

/** Settings of the stand-in forum backend. */
export interface ForumOptions {
  /** `sqlite:<path>` or `postgres://…`. */
  databaseUrl: string;
  sessionTtlSeconds: number;
  /** Adds `Secure` to the session cookie (serve behind TLS). */
  cookieSecure: boolean;
  /** Cluster mode: the brute-force limits count across instances through Redis. */
  redisUrl?: string | null;
  /** Prefix of this deployment's Redis keys (default `forum-chat:`). */
  redisKeyPrefix?: string;
  /** Brute-force limits of login and registration; absent or null entries are off. */
  authRateLimits?: {
    loginPerLogin: RateLimitSpec | null;
    loginPerIp: RateLimitSpec | null;
    registerPerIp: RateLimitSpec | null;
  };
  /** Process-wide bound on password hashing (default `HASHING_BOUND_DEFAULTS`); beyond it, 503. */
  passwordHashing?: HashingBound;
  /**
   * Argon2id parameters of new password hashes (default `OWASP_ARGON2ID`, m=19456 KiB, t=2,
   * p=1; never below OWASP's minimum); hashes made otherwise (other parameters, or scrypt)
   * are replaced at their next successful login.
   */
  argon2id?: Argon2idParameters;
  /**
   * Secret that signs device cookies (at least 32 characters); instances of one cluster
   * share it. Absent or null: a random secret per process (device cookies are then honoured
   * only by the instance that issued them, until it restarts).
   */
  deviceSecret?: string | null;
  /** Secret of the admin endpoints (`X-Admin-Token`); absent or null: they answer 404. */
  adminToken?: string | null;
}

/** Injection token of the `ForumOptions`. */
export const FORUM_OPTIONS = Symbol('FORUM_OPTIONS');
