import { parse as parseCookie } from 'cookie';
import type { IncomingHttpHeaders } from 'node:http';

/** Name of the session cookie on a plain-HTTP deployment (and the former name behind TLS). */
export const SESSION_COOKIE = 'session_id';

/**
 * Name of the session cookie behind TLS (`COOKIE_SECURE=true`): the `__Host-` prefix makes
 * browsers accept it only with `Secure`, `Path=/` and no `Domain`, so a sibling subdomain
 * or a plain-HTTP page cannot plant or overwrite it.
 */
export const SECURE_SESSION_COOKIE = '__Host-session_id';

/** The name the session cookie is set under: `__Host-session_id` when secure, else `session_id`. */
export function sessionCookieName(secure: boolean): string {
  return secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

/**
 * The session token a request presents: the `__Host-session_id` cookie, else the
 * `session_id` cookie (the plain-HTTP name, still accepted behind TLS while cookies set
 * before the prefix expire), else an `Authorization: Bearer` header; null when none.
 */
export function sessionTokenFrom(headers: IncomingHttpHeaders): string | null {
  const cookieHeader = headers.cookie;
  if (cookieHeader) {
    const cookies = parseCookie(cookieHeader);
    const token = cookies[SECURE_SESSION_COOKIE] || cookies[SESSION_COOKIE];
    if (token) return token;
  }
  const authorization = headers.authorization;
  if (authorization && /^Bearer\s+/i.test(authorization))
    return authorization.replace(/^Bearer\s+/i, '').trim() || null;
  return null;
}
