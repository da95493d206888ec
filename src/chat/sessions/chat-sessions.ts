import { Inject, Injectable } from '@nestjs/common';
import { FanoutBus } from '../fanout/fanout.bus.js';

/**
 * What the application tells the chat about sessions it ended. `end` closes every socket
 * opened with one of the sessions, on every node, with 4401 (frames still queued for them
 * are dropped). Call it on logout and on revocation.
 */
@Injectable()
export class ChatSessions {
  constructor(@Inject(FanoutBus) private readonly bus: FanoutBus) {}

  async end(sessionKeys: string[]): Promise<void> {
    if (sessionKeys.length === 0) return;
    await this.bus.publish({ kind: 'end_sessions', sessionKeys });
  }
}
