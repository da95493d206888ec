import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Stateless session cookies for the baseline server: `<base64url(json)>.<hmac>`.
 * A cookie verifies only if it was issued with the same secret, so the check at
 * the upgrade is a real (cheap) session check, and cookies stay valid across
 * restarts of the baseline within one benchmark run.
 */
export class SessionCookie {
  /** @param {string} secret HMAC key; the same secret must issue and verify. */
  constructor(secret) {
    this.secret = secret;
  }

  /**
   * @param {{id: number, nickname: string}} user
   * @returns {string} an opaque value for the `session_id` cookie
   */
  issue(user) {
    const body = Buffer.from(JSON.stringify({ id: user.id, n: user.nickname })).toString('base64url');
    return `${body}.${this.#mac(body)}`;
  }

  /**
   * @param {string | undefined} cookieHeader the raw `Cookie` request header
   * @returns {{id: number, nickname: string} | null} the user, or null for a missing or forged session
   */
  verify(cookieHeader) {
    if (!cookieHeader) return null;
    const match = /(?:^|;\s*)session_id=([^;]+)/.exec(cookieHeader);
    if (!match) return null;
    const [body, mac] = match[1].split('.');
    if (!body || !mac) return null;
    const expected = Buffer.from(this.#mac(body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const { id, n } = JSON.parse(Buffer.from(body, 'base64url').toString());
    return { id, nickname: n };
  }

  /** @param {string} body */
  #mac(body) {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}
