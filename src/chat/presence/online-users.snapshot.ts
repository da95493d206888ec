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
 *   digits, not a serialization of the page. A change that touches it is applied to a copy
 *   of the list and of each user's JSON text (a join, or a leave while the page is not full),
 *   so the next page joins texts instead of serializing every listed user again.
 */
@Injectable()
export class OnlineUsersSnapshot implements OnModuleInit {
  private cached: { frame: OnlineUsersFrame; version: number } | null = null;
  /** The first page's users, each one's JSON text, and the list's text (made on first use). */
  private firstPage: FirstPage | null = null;

  constructor(
    @Inject(RESOLVED_CHAT_OPTIONS) private readonly options: ResolvedChatOptions,
    private readonly roster: OnlineRoster,
  ) {}

  onModuleInit(): void {
    this.roster.onChange(({ user, online }) => {
      const page = this.firstPage;
      if (!page) return;
      const full = page.users.length >= page.limit;
      // a full page changes only when a user at or below its last id comes or goes
      if (full && user.id > page.users[page.users.length - 1].id) return;
      // a leave from a full page lets in a user the page does not know: read it again
      this.firstPage = online ? withJoined(page, user) : full ? null : withoutLeft(page, user.id);
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
      this.firstPage = page = { limit, users, texts: users.map((user) => JSON.stringify(user)), json: null };
    }
    const json = (page.json ??= `[${page.texts.join(',')}]`);
    const count = this.roster.count;
    const hasMore = count > page.users.length;
    return presetJson<OnlinePageFrame>(
      { type: 'online_page', users: page.users, count, has_more: hasMore },
      `{"type":"online_page","users":${json},"count":${count},"has_more":${hasMore}}`,
    );
  }
}

/** The first page as shared: never changed once handed out, replaced by a changed copy. */
interface FirstPage {
  limit: number;
  users: PublicUser[];
  /** `JSON.stringify` of each user in `users`. */
  texts: string[];
  /** The list's JSON text, made on first use. */
  json: string | null;
}

/** `page` with `user` listed in id order (the last one dropped if the page overflows). */
function withJoined(page: FirstPage, user: PublicUser): FirstPage {
  let at = page.users.length;
  while (at > 0 && page.users[at - 1].id > user.id) at -= 1;
  if (at > 0 && page.users[at - 1].id === user.id) return page;
  const users = page.users.slice();
  const texts = page.texts.slice();
  users.splice(at, 0, { id: user.id, nickname: user.nickname });
  texts.splice(at, 0, JSON.stringify(users[at]));
  if (users.length > page.limit) {
    users.pop();
    texts.pop();
  }
  return { limit: page.limit, users, texts, json: null };
}

/** `page` without user `userId` (a page that is not full: nobody beyond it moves in). */
function withoutLeft(page: FirstPage, userId: number): FirstPage {
  const at = page.users.findIndex((user) => user.id === userId);
  if (at < 0) return page;
  const users = page.users.slice();
  const texts = page.texts.slice();
  users.splice(at, 1);
  texts.splice(at, 1);
  return { limit: page.limit, users, texts, json: null };
}
