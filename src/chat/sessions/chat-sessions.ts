import { Inject, Injectable, Logger } from '@nestjs/common';
import { FanoutBus } from '../fanout/fanout.bus.js';
import { publishOnBus } from '../fanout/publish-on-bus.js';
import { ConnectionRegistry } from '../transport/connection.registry.js';
import { userSessionKey } from './user-session-key.js';

/**
 * What the application tells the chat about sessions it ended. Call `end` on logout and
 * on revocation: it closes every socket opened with one of the sessions with 4401 (frames
 * still queued for them are dropped), at once on this instance, and on the others through
 * the bus. An announcement can be lost (Redis unreachable at that moment), so an
 * application whose sessions must end everywhere also calls `endHere` on every instance
 * with the sessions its own store reports revoked, on a short period (the forum's
 * `ForumChatBridge` does that twice a second). `endUser` closes every socket of the users
 * (for stateless tokens, whose sockets have no session key: a ban, a password change).
 */
@Injectable()
export class ChatSessions {
  private readonly logger = new Logger(ChatSessions.name);

  constructor(
    @Inject(FanoutBus) private readonly bus: FanoutBus,
    private readonly registry: ConnectionRegistry,
  ) {}

  /**
   * Ends the sessions on every instance. The sockets on this instance are closed before it
   * returns; it never rejects, and answers false when the bus refused the announcement
   * (the other instances then learn it from their own re-check, see above).
   */
  async end(sessionKeys: string[]): Promise<boolean> {
    if (sessionKeys.length === 0) return true;
    this.registry.endSessions(sessionKeys);
    return publishOnBus(this.bus, { kind: 'end_sessions', sessionKeys }, 'session end', this.logger);
  }

  /** Closes this instance's sockets of these sessions with 4401; answers how many were open. */
  endHere(sessionKeys: Iterable<string>): number {
    return this.registry.endSessions(sessionKeys);
  }

  /** Ends every socket of these users on every instance, whatever their sessions (as `end`). */
  endUser(...userIds: number[]): Promise<boolean> {
    return this.end(userIds.map(userSessionKey));
  }
}
