import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { RESOLVED_CHAT_OPTIONS, type ResolvedChatOptions } from '../chat.options.js';
import { ConnectionRegistry } from '../transport/connection.registry.js';
import { OnlineRoster, type RosterChange } from './online-roster.js';
import { OnlineUsersSnapshot } from './online-users.snapshot.js';
import { PRESENCE_LIST_RESUME_SHARE } from './presence-limits.js';

/**
 * Presence for sockets that negotiated nothing (the seed protocol), bounded by
 * `presenceListLimit` (L):
 * - while at most L users are online, each change reaches them as the `user_joined` /
 *   `user_left` that was published, exactly as the seed protocol says;
 * - once more than L are online, they get no per-user frames (their `online_users` on
 *   connect and `join` lists the first L users by id, with `count`);
 * - when the count falls back to 90 % of L, each of them gets one fresh `online_users`
 *   (the complete list) at the next tick, and per-user frames resume after it.
 * So a seed client receives at most L per-user frames per crossing, never one per joiner
 * of a storm of any size.
 */
@Injectable()
export class SeedPresenceRelay implements OnModuleInit, OnModuleDestroy {
  /** True while seed clients hold the complete list and get every change. */
  private complete = true;
  private resyncTimer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(RESOLVED_CHAT_OPTIONS) private readonly options: ResolvedChatOptions,
    private readonly roster: OnlineRoster,
    private readonly snapshot: OnlineUsersSnapshot,
    private readonly connections: ConnectionRegistry,
  ) {}

  onModuleInit(): void {
    this.roster.onChange((change) => this.relay(change));
  }

  onModuleDestroy(): void {
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    this.resyncTimer = null;
  }

  private relay(change: RosterChange): void {
    if (this.complete) {
      if (this.roster.count > this.options.presenceListLimit) this.complete = false;
      else this.connections.deliverPresence(change.frame, 'seed');
      return;
    }
    if (this.roster.count <= this.resumeAt() && !this.resyncTimer) {
      this.resyncTimer = setTimeout(() => this.resync(), this.options.presenceTickMs).unref();
    }
  }

  /** Sends every seed socket the complete list, if the count is still low enough, and resumes per-user frames. */
  private resync(): void {
    this.resyncTimer = null;
    if (this.complete || this.roster.count > this.resumeAt()) return;
    this.complete = true;
    this.connections.deliverPresence(JSON.stringify(this.snapshot.frame()), 'seed');
  }

  private resumeAt(): number {
    return Math.floor(this.options.presenceListLimit * PRESENCE_LIST_RESUME_SHARE);
  }
}
