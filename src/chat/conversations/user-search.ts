import { Inject, Injectable } from '@nestjs/common';
import type { ChatParticipant } from '../chat-participant.js';
import { ChatRateLimits } from '../limits/chat-rate-limits.js';
import type { SearchUsersDto } from '../protocol/dto/read-state.dto.js';
import type { PublicUser, UsersFrame } from '../protocol/frames.js';
import { CHAT_USER_DIRECTORY } from '../users/chat-user-directory.token.js';
import type { ChatUserDirectory } from '../users/chat-user.directory.js';

/** Most users in one `users` page. */
export const USER_SEARCH_PAGE = 20;

/**
 * `search_users`: the users whose nickname starts with `prefix` (case-insensitively), by
 * lower-cased nickname, 20 a page after the nickname `after`; the caller is left out. Tells
 * only id and nickname, which every member already sees on the messages. With a directory
 * that has `searchByNickname` a page is one index range; without it, `list()` is filtered.
 */
@Injectable()
export class UserSearch {
  constructor(
    @Inject(CHAT_USER_DIRECTORY) private readonly users: ChatUserDirectory,
    private readonly limits: ChatRateLimits,
  ) {}

  async search(participant: ChatParticipant, dto: SearchUsersDto): Promise<UsersFrame> {
    await this.limits.charge('search_users', participant.user.id);
    // one more than a page, and one more in case the caller is among them
    const query = { prefix: dto.prefix, after: dto.after ?? '', limit: USER_SEARCH_PAGE + 2 };
    const found = this.users.searchByNickname ? await this.users.searchByNickname(query) : await this.filterList(query);
    const others = found.filter((user) => user.id !== participant.user.id);
    return {
      type: 'users',
      prefix: dto.prefix,
      users: others.slice(0, USER_SEARCH_PAGE).map((user) => ({ id: user.id, nickname: user.nickname })),
      has_more: others.length > USER_SEARCH_PAGE,
    };
  }

  private async filterList(query: { prefix: string; after: string; limit: number }): Promise<PublicUser[]> {
    const prefix = query.prefix.toLowerCase();
    const after = query.after.toLowerCase();
    return (await this.users.list())
      .map((user) => ({ user, key: user.nickname.toLowerCase() }))
      .filter(({ key }) => key.startsWith(prefix) && key > after)
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .slice(0, query.limit)
      .map(({ user }) => user);
  }
}
