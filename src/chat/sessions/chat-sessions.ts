import { Inject, Injectable } from '@nestjs/common';
import { FanoutBus } from '../fanout/fanout.bus.js';
import { ConnectionRegistry } from '../transport/connection.registry.js';

/**
 * What the application tells the chat about sessions it ended. Call `end` on logout and
 * on revocation: it closes every socket opened with one of the sessions with 4401 (frames
 * still queued for them are dropped), at once on this instance, and on the others through
 * the bus. An announcement can be lost (Redis unreachable at that moment), so an
 * application whose sessions must end everywhere also calls `endHere` on every instance
 * with the sessions its own store reports revoked, on a short period (the forum's
 * `ForumChatBridge` does that twice a second).
 */
@Injectable()
export class ChatSessions {
  constructor(
    @Inject(FanoutBus) private readonly bus: FanoutBus,
    private readonly registry: ConnectionRegistry,
  ) {}

  /**
   * Ends the sessions on every instance. The sockets on this instance are closed before it
   * returns; it rejects when the bus refused the announcement (the other instances then
   * learn it from their own re-check).
   */
  async end(sessionKeys: string[]): Promise<void> {
    if (sessionKeys.length === 0) return;
    this.registry.endSessions(sessionKeys);
    await this.bus.publish({ kind: 'end_sessions', sessionKeys });
  }

  /** Closes this instance's sockets of these sessions with 4401; answers how many were open. */
  endHere(sessionKeys: Iterable<string>): number {
    return this.registry.endSessions(sessionKeys);
  }
}
