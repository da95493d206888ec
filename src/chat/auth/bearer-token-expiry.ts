import type { IncomingMessage } from 'node:http';

/**
 * The expiry (epoch ms) of a JWT: its `exp` claim, read without checking the signature (the
 * host's strategy has checked it). Null when `token` is not a JWT or has no numeric `exp`.
 */
export function jwtExpiry(token: string): number | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp * 1000 : null;
  } catch {
    return null;
  }
}

/** The expiry (epoch ms) of the JWT in the request's `Authorization: Bearer` header, or null. */
export function bearerTokenExpiry(request: IncomingMessage): number | null {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match ? jwtExpiry(match[1]) : null;
}
