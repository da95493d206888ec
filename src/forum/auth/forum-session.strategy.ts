import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { IncomingMessage } from 'node:http';
import { Strategy } from 'passport-custom';
import { SessionCheckCache } from '../sessions/session-check.cache.js';
import { sessionTokenFrom } from '../sessions/session-request.js';
import { AuthService } from './auth.service.js';
import { AuthenticatedUser } from './authenticated-user.js';

/** Name under which the forum-session strategy is registered with Passport. */
export const FORUM_SESSION_STRATEGY = 'forum-session';

/**
 * Passport strategy of the forum session: reads the token from the session cookie or
 * `Authorization: Bearer` (`sessionTokenFrom`), and accepts only live sessions. The same strategy
 * serves the HTTP guard and the WebSocket handshake (it needs only the request headers).
 * Checks are reused through `SessionCheckCache`, which never lets a revoked session in.
 */
@Injectable()
export class ForumSessionStrategy extends PassportStrategy(Strategy, FORUM_SESSION_STRATEGY) {
  private readonly check = (token: string) => this.auth.authenticate(token);

  constructor(
    private readonly auth: AuthService,
    private readonly checks: SessionCheckCache,
  ) {
    super();
  }

  async validate(request: IncomingMessage): Promise<AuthenticatedUser | false> {
    const token = sessionTokenFrom(request.headers);
    if (!token) return false;
    return (await this.checks.authenticate(token, this.check)) ?? false;
  }
}
