import { Inject, Injectable } from '@nestjs/common';
import type { ChatUserDirectory, PublicUser } from '../chat/index.js';
import { UserStore } from './users/user.store.js';

/** Most users `findById` keeps (a few MB); past it, it starts again from none. */
const KNOWN_USERS_LIMIT = 100_000;

/**
 * The forum's users as the chat sees them: id and nickname, nothing else. A user found by id
 * is kept: the forum never renames nor removes a user, so a kept entry is never stale, and a
 * private message (whose recipient the chat looks up) costs no database read for it. An
 * unknown id is asked again every time (it may be registered meanwhile).
 */
@Injectable()
export class ForumUserDirectory implements ChatUserDirectory {
  private readonly known = new Map<number, PublicUser>();

  constructor(@Inject(UserStore) private readonly users: UserStore) {}

  async findById(id: number): Promise<PublicUser | null> {
    const kept = this.known.get(id);
    if (kept) return kept;
    const user = await this.users.findById(id);
    if (!user) return null;
    const found: PublicUser = Object.freeze({ id: user.id, nickname: user.nickname });
    if (this.known.size >= KNOWN_USERS_LIMIT) this.known.clear();
    this.known.set(id, found);
    return found;
  }

  list(): Promise<PublicUser[]> {
    return this.users.list();
  }

  findByIds(ids: number[]): Promise<PublicUser[]> {
    return this.users.findByIds(ids);
  }

  findByNicknames(nicknames: string[]): Promise<PublicUser[]> {
    return this.users.findByNicknames(nicknames);
  }

  searchByNickname(query: { prefix: string; after: string; limit: number }): Promise<PublicUser[]> {
    return this.users.searchByNickname({
      ...query,
      prefix: query.prefix.toLowerCase(),
      after: query.after.toLowerCase(),
    });
  }
}
