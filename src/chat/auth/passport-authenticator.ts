import type { IncomingMessage } from 'node:http';
import passport from 'passport';
import { ChatPrincipal } from './chat-principal.js';

/**
 * Runs the Passport strategy `strategy` on a raw HTTP request (the WebSocket upgrade,
 * before any socket exists) and maps its user to a principal. Resolves null when the
 * strategy fails the request; rejects only when the strategy itself errors.
 */
export function authenticateWithPassport(
  strategy: string,
  request: IncomingMessage,
  toPrincipal: (user: unknown) => ChatPrincipal | null,
): Promise<ChatPrincipal | null> {
  return new Promise((resolve, reject) => {
    const middleware = passport.authenticate(strategy, { session: false }, (error: unknown, user: unknown) => {
      if (error) reject(error);
      else resolve(user ? toPrincipal(user) : null);
    });
    middleware(request, {}, (error?: unknown) => (error ? reject(error) : resolve(null)));
  });
}
