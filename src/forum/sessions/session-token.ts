import { hash, randomBytes } from 'node:crypto';

/** A fresh session token: 256 random bits, base64url (43 characters). */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The key a session is stored and referred to by: SHA-256 of its token, hex (one-shot: every check computes it). */
export function sessionKeyOf(token: string): string {
  return hash('sha256', token, 'hex');
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Whether `text` has the shape of a token we issue (cheap pre-check before any lookup). */
export function looksLikeSessionToken(text: string): boolean {
  return TOKEN_SHAPE.test(text);
}
