import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { parse as parseCookie } from 'cookie';
import type { IncomingHttpHeaders } from 'node:http';

/** Name of the device cookie on a plain-HTTP deployment (and the former name behind TLS). */
export const DEVICE_COOKIE = 'device';

/** Name of the device cookie behind TLS (`COOKIE_SECURE=true`), with the `__Host-` prefix as the session cookie. */
export const SECURE_DEVICE_COOKIE = '__Host-device';

/** How long a device cookie is honoured after it was issued (renewed at every successful login). */
export const DEVICE_COOKIE_TTL_MS = 90 * 24 * 60 * 60 * 1000;

/** The device cookie's name: `__Host-device` when secure, else `device`. */
export function deviceCookieName(secure: boolean): string {
  return secure ? SECURE_DEVICE_COOKIE : DEVICE_COOKIE;
}

/** Shortest secret that may sign device cookies (`AUTH_DEVICE_SECRET`, `deviceSecret`). */
export const DEVICE_SECRET_MIN_LENGTH = 32;

/** A device cookie that checked out: the account it was issued to and its own id (its per-device bucket). */
export interface KnownDevice {
  userId: number;
  deviceId: string;
}

/**
 * Device cookies (OWASP's "device cookie" defence against account lockout): after a
 * successful login the browser gets `v1.<user id>.<issued at>.<device id>.<HMAC-SHA256>`,
 * signed with the server's device secret. A later login presenting it for that same
 * account comes from a known device: it is throttled per device instead of per account,
 * and its password hash is served before anonymous ones. A cookie that is altered, signed
 * with another secret, older than `DEVICE_COOKIE_TTL_MS` or issued to another account is
 * worth nothing (the login is treated as anonymous).
 */
export class DeviceCookies {
  /** @throws Error naming `deviceSecret` when the secret is shorter than `DEVICE_SECRET_MIN_LENGTH` (a short key makes cookies forgeable). */
  constructor(
    private readonly secret: string,
    private readonly now: () => number = Date.now,
  ) {
    if (secret.length < DEVICE_SECRET_MIN_LENGTH)
      throw new Error(`deviceSecret must be at least ${DEVICE_SECRET_MIN_LENGTH} characters`);
  }

  /** A new device cookie value for `userId`. */
  issue(userId: number): string {
    const payload = `v1.${userId}.${this.now()}.${randomBytes(12).toString('base64url')}`;
    return `${payload}.${this.sign(payload)}`;
  }

  /** The known device a request's device cookie names for `userId`, or null. */
  recognize(headers: IncomingHttpHeaders, userId: number | null): KnownDevice | null {
    if (userId === null || !headers.cookie) return null;
    const cookies = parseCookie(headers.cookie);
    const value = cookies[SECURE_DEVICE_COOKIE] || cookies[DEVICE_COOKIE];
    return value ? this.verify(value, userId) : null;
  }

  /** `value` as a known device of `userId`, or null when it is not a valid cookie issued to that account. */
  verify(value: string, userId: number): KnownDevice | null {
    const parts = value.split('.');
    if (parts.length !== 5 || parts[0] !== 'v1') return null;
    const [, user, issuedAt, deviceId, signature] = parts;
    const expected = Buffer.from(this.sign(parts.slice(0, 4).join('.')));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    if (user !== String(userId)) return null;
    const age = this.now() - Number(issuedAt);
    if (!(age >= 0 && age < DEVICE_COOKIE_TTL_MS)) return null;
    return { userId, deviceId };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}
