import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { RESOLVED_CHAT_OPTIONS, type ResolvedChatOptions } from '../chat.options.js';
import type { OnlinePageFrame, OnlineUsersFrame, PublicUser } from '../protocol/frames.js';
import { presetJson } from '../protocol/preset-json.js';
import { OnlineRoster } from './online-roster.js';

/**
 * The online list as frames, read from this node's `OnlineRoster` (no round trip):
 * - `frame()`: the seed protocol's `online_users`, at most `presenceListLimit` users by id
 *   (with `count` when cut), one shared object until the roster changes, so a burst of
 *   connections costs one list and one serialization, not one per socket;
 * - `page()`: one `online_page`. The first page of the default size (what every
 *   `presence_changes` socket gets on connect) shares its list and that list's JSON text
 *   until a change touches the users it lists: in a storm, where every connection is a
 *   change of the count but rarely of the first users by id, a connection costs the count's
 *   digits, not a serialization of the page.
 */
@Injectable()
export class OnlineUsersSnapshot implements OnModuleInit {
  private cached: { frame: OnlineUsersFrame; version: number } | null = null;
  /** The first page's users and their JSON text, while no change touched them. */
  private firstPage: { limit: number; users: PublicUser[]; json: string } | null = null;

  constructor(
    @Inject(RESOLVED_CHAT_OPTIONS) private readonly options: ResolvedChatOptions,
    private readonly roster: OnlineRoster,
  ) {}

  onModuleInit(): void {
    this.roster.onChange(({ user }) => {
      const page = this.firstPage;
      // a full page changes only when a user at or below its last id comes or goes
      if (page && (page.users.length < page.limit || user.id <= page.users[page.users.length - 1].id))
        this.firstPage = null;
    });
  }

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

  /** Up to `limit` online users with an id above `after`; an object that must not be modified. */
  page(after: number, limit: number): OnlinePageFrame {
    if (after === 0) return this.firstPageOf(limit);
    const { users, hasMore } = this.roster.page(after, limit);
    return { type: 'online_page', users, count: this.roster.count, has_more: hasMore };
  }

  /** The first page, its list and the list's text shared while they stay the same. */
  private firstPageOf(limit: number): OnlinePageFrame {
    let page = this.firstPage;
    if (!page || page.limit !== limit) {
      const { users } = this.roster.page(0, limit);
      this.firstPage = page = { limit, users, json: JSON.stringify(users) };
    }
    const count = this.roster.count;
    const hasMore = count > page.users.length;
    return presetJson<OnlinePageFrame>(
      { type: 'online_page', users: page.users, count, has_more: hasMore },
      `{"type":"online_page","users":${page.json},"count":${count},"has_more":${hasMore}}`,
    );
  }
}
