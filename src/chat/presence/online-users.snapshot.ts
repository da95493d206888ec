import { Inject, Injectable } from '@nestjs/common';
import { RESOLVED_CHAT_OPTIONS, type ResolvedChatOptions } from '../chat.options.js';
import type { OnlinePageFrame, OnlineUsersFrame } from '../protocol/frames.js';
import { OnlineRoster } from './online-roster.js';

/**
 * The online list as frames, read from this node's `OnlineRoster` (no round trip):
 * - `frame()`: the seed protocol's `online_users`, at most `presenceListLimit` users by id
 *   (with `count` when cut), one shared object until the roster changes, so a burst of
 *   connections costs one list and one serialization, not one per socket;
 * - `page()`: one `online_page`.
 */
@Injectable()
export class OnlineUsersSnapshot {
  private cached: { frame: OnlineUsersFrame; version: number } | null = null;

  constructor(
    @Inject(RESOLVED_CHAT_OPTIONS) private readonly options: ResolvedChatOptions,
    private readonly roster: OnlineRoster,
  ) {}

  /** The current `online_users` frame, an object that must not be modified. */
  frame(): OnlineUsersFrame {
    if (this.cached && this.cached.version === this.roster.version) return this.cached.frame;
    const { users, hasMore } = this.roster.page(0, this.options.presenceListLimit);
    const frame: OnlineUsersFrame = hasMore
      ? { type: 'online_users', users, count: this.roster.count }
      : { type: 'online_users', users };
    this.cached = { frame, version: this.roster.version };
    return frame;
  }

  /** Up to `limit` online users with an id above `after`. */
  page(after: number, limit: number): OnlinePageFrame {
    const { users, hasMore } = this.roster.page(after, limit);
    return { type: 'online_page', users, count: this.roster.count, has_more: hasMore };
  }
}
