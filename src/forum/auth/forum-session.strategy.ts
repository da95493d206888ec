import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { IncomingMessage } from 'node:http';
import { Strategy } from 'passport-custom';
import { sessionTokenFrom } from '../sessions/session-request.js';
import { AuthService } from './auth.service.js';
import { AuthenticatedUser } from './authenticated-user.js';

/** Name under which the forum-session strategy is registered with Passport. */
export const FORUM_SESSION_STRATEGY = 'forum-session';

/**
 * Passport strategy of the forum session: reads the token from the session cookie or
 * `Authorization: Bearer` (`sessionTokenFrom`), and accepts only live sessions. The same strategy
 * serves the HTTP guard and the WebSocket handshake (it needs only the request headers).
 */
@Injectable()
export class ForumSessionStrategy extends PassportStrategy(Strategy, FORUM_SESSION_STRATEGY) {
  constructor(private readonly auth: AuthService) {
    super();
  }

  async validate(request: IncomingMessage): Promise<AuthenticatedUser | false> {
    const token = sessionTokenFrom(request.headers);
    if (!token) return false;
    return (await this.auth.authenticate(token)) ?? false;
  }
}
