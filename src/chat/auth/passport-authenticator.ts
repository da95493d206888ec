import type { IncomingMessage } from 'node:http';
import passport from 'passport';

/**
 * Runs the Passport strategy `strategy` on a raw HTTP request (the WebSocket upgrade,
 * before any socket exists) and resolves the user it accepted. Resolves null when the
 * strategy fails the request; rejects only when the strategy itself errors.
 */
export function authenticateWithPassport(strategy: string, request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const middleware = passport.authenticate(strategy, { session: false }, (error: unknown, user: unknown) => {
      if (error) reject(error);
      else resolve(user || null);
    });
    middleware(request, {}, (error?: unknown) => (error ? reject(error) : resolve(null)));
  });
}
