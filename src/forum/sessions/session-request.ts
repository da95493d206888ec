import { parse as parseCookie } from 'cookie';
import type { IncomingHttpHeaders } from 'node:http';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'session_id';

/**
 * The session token a request presents: the `session_id` cookie, else an
 * `Authorization: Bearer` header; null when it presents neither.
 */
export function sessionTokenFrom(headers: IncomingHttpHeaders): string | null {
  const cookieHeader = headers.cookie;
  if (cookieHeader) {
    const token = parseCookie(cookieHeader)[SESSION_COOKIE];
    if (token) return token;
  }
  const authorization = headers.authorization;
  if (authorization && /^Bearer\s+/i.test(authorization))
    return authorization.replace(/^Bearer\s+/i, '').trim() || null;
  return null;
}
