import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { ChatSessions } from './chat/index.js';
import { SessionEndedEvents } from './forum/sessions/session-ended.events.js';
import { SessionStore } from './forum/sessions/session.store.js';

/**
 * How often each instance asks the session store which sessions were revoked, and closes
 * its sockets of them: the bound on how long a socket outlives a revocation whose
 * announcement on the bus was lost. Must stay well under the contract's 1 s.
 */
export const REVOCATION_RECHECK_MS = 500;
/**
 * How far each re-check looks back beyond the start of the previous one: covers instances
 * whose clocks disagree (a revocation is stamped with the revoking instance's clock) and
 * revocations committed after a check had already begun. Must exceed both.
 */
export const REVOCATION_RECHECK_OVERLAP_MS = 10_000;

/**
 * Glue between the stand-in forum and the chat: when the forum ends a session (logout,
 * revocation), the chat closes every socket opened with it, on every instance, with 4401.
 * The revocation is stored before it is announced; the announcement on the bus is the fast
 * path, and every `REVOCATION_RECHECK_MS` each instance also closes its sockets of the
 * sessions the store reports revoked, so a revocation announced while Redis was unreachable
 * still ends them within a second.
 */
@Injectable()
export class ForumChatBridge implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ForumChatBridge.name);
  private timer: NodeJS.Timeout | null = null;
  private checking = false;
  private lastCheckStartedAt = Date.now();
  private storeUnavailable = false;

  constructor(
    private readonly forumSessions: SessionEndedEvents,
    private readonly chatSessions: ChatSessions,
    @Inject(SessionStore) private readonly sessionStore: SessionStore,
  ) {}

  onModuleInit(): void {
    // never rejects: a refused announcement is left to the re-check
    this.forumSessions.onSessionsEnded((keys) => void this.chatSessions.end(keys));
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.recheck(), REVOCATION_RECHECK_MS).unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * Closes this instance's sockets of every session revoked since the previous check
   * (with the overlap); answers how many it closed. A store that does not answer is
   * reported once, and the next check looks back from the last one that succeeded.
   */
  async recheck(): Promise<number> {
    if (this.checking) return 0;
    this.checking = true;
    const startedAt = Date.now();
    try {
      const keys = await this.sessionStore.revokedSince(this.lastCheckStartedAt - REVOCATION_RECHECK_OVERLAP_MS);
      this.lastCheckStartedAt = startedAt;
      if (this.storeUnavailable) this.logger.log('revocation re-check: session store answers again');
      this.storeUnavailable = false;
      return this.chatSessions.endHere(keys);
    } catch (error) {
      if (!this.storeUnavailable)
        this.logger.warn(`revocation re-check: session store unavailable: ${(error as Error).message}`);
      this.storeUnavailable = true;
      return 0;
    } finally {
      this.checking = false;
    }
  }
}
