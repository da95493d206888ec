import { HttpException, HttpStatus, Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { clientAddressKey, RateLimiter, type RateLimitSpec } from '../../chat/index.js';
import { FORUM_OPTIONS, type ForumOptions } from '../forum.options.js';
import { loginKey } from '../users/login-key.js';
import type { KnownDevice } from './device-cookies.js';

/** Injection token of the `RateLimiter` the auth endpoints use. */
export const AUTH_RATE_LIMITER = Symbol('AUTH_RATE_LIMITER');

/** A 429 with the `Retry-After` seconds the caller must wait. */
export class TooManyAttemptsException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      {
        statusCode: HttpStatus.TOO_MANY_REQUESTS,
        error: 'Too Many Requests',
        message: `too many attempts; retry in ${retryAfterSeconds} s`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/**
 * Brute-force limits of the auth endpoints, each a token bucket: login attempts per
 * client address and per account, registrations per client address. The per-login bucket
 * belongs to the account the login name resolves to (nickname or e-mail, one bucket for
 * both); a name that is no account gets a bucket of its own, keyed by its `loginKey`, so
 * it costs the same; a login from a known device (device cookie) is charged to that
 * device's own bucket instead of the account's. Every attempt is charged before the
 * password is checked, so a refused one costs no hashing; the address bucket is charged
 * first, before the login name is looked up, and a refused address does not drain the
 * account's bucket. A limiter failure lets the attempt through (logged).
 */
@Injectable()
export class AuthThrottle implements OnApplicationShutdown {
  private readonly logger = new Logger(AuthThrottle.name);

  constructor(
    @Inject(FORUM_OPTIONS) private readonly options: ForumOptions,
    @Inject(AUTH_RATE_LIMITER) private readonly limiter: RateLimiter,
  ) {}

  /**
   * Throws `TooManyAttemptsException` when the client address is over its login limit.
   * Charged first, before the login name is looked up: a refused address costs no account
   * lookup and no hashing, and does not drain the account's bucket.
   */
  async loginFromAddress(address: string | undefined): Promise<void> {
    await this.charge(`login-ip:${clientAddressKey(address)}`, this.options.authRateLimits?.loginPerIp);
  }

  /**
   * Throws `TooManyAttemptsException` when this login attempt is over the per-login limit
   * (after `loginFromAddress`). `accountId` is the account `login` names, or null when it
   * names none; `device` the known device the attempt comes from (a valid device cookie of
   * that account), whose attempts are charged to a bucket of that device instead of the
   * account's, so a locked account stays open to its owner's known devices.
   */
  async loginOfAccount(login: string, accountId: number | null, device: KnownDevice | null = null): Promise<void> {
    const bucket = device
      ? `login-device:${device.deviceId}`
      : accountId === null
        ? `login-name:${loginKey(login)}`
        : `login-account:${accountId}`;
    await this.charge(bucket, this.options.authRateLimits?.loginPerLogin);
  }

  /** Throws `TooManyAttemptsException` when this registration is over the limit. */
  async register(address: string | undefined): Promise<void> {
    await this.charge(`register-ip:${clientAddressKey(address)}`, this.options.authRateLimits?.registerPerIp);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.limiter.close();
  }

  private async charge(key: string, spec: RateLimitSpec | null | undefined): Promise<void> {
    if (!spec) return;
    let decision;
    try {
      decision = await this.limiter.take(key, spec);
    } catch (error) {
      this.logger.warn(`auth rate limiter unavailable, attempt let through: ${(error as Error).message}`);
      return;
    }
    if (!decision.allowed) throw new TooManyAttemptsException(Math.max(1, Math.ceil(decision.retryAfterMs / 1000)));
  }
}
