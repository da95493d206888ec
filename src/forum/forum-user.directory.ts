import { Inject, Injectable } from '@nestjs/common';
import type { ChatUserDirectory, PublicUser } from '../chat/index.js';
import { UserStore } from './users/user.store.js';

/** The forum's users as the chat sees them: id and nickname, nothing else. */
@Injectable()
export class ForumUserDirectory implements ChatUserDirectory {
  constructor(@Inject(UserStore) private readonly users: UserStore) {}

  async findById(id: number): Promise<PublicUser | null> {
    const user = await this.users.findById(id);
    return user ? { id: user.id, nickname: user.nickname } : null;
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
