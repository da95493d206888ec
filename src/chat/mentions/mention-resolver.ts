import { Inject, Injectable } from '@nestjs/common';
import type { PublicUser } from '../protocol/frames.js';
import { ChatRoomPolicy } from '../rooms/chat-room.policy.js';
import { LOBBY } from '../rooms/room-id.js';
import { CHAT_USER_DIRECTORY } from '../users/chat-user-directory.token.js';
import type { ChatUserDirectory } from '../users/chat-user.directory.js';
import { mentionedNicknames } from './mention-parser.js';

/**
 * Resolves the `@nickname`s of a new or edited message to user ids with one batched lookup of
 * the user directory (`findByNicknames`; without it, `list()` is filtered). Only users who can
 * read the message count: in a room, those the forum lets read it (the policy, asked about the
 * users found at once); in a private message, the recipient. The sender never mentions
 * themself. Ascending ids; undefined when none, so a message without mentions stays exactly
 * as before.
 */
@Injectable()
export class MentionResolver {
  constructor(
    @Inject(CHAT_USER_DIRECTORY) private readonly users: ChatUserDirectory,
    @Inject(ChatRoomPolicy) private readonly policy: ChatRoomPolicy,
  ) {}

  async resolve(message: {
    content: string;
    senderId: number;
    recipientId: number | null;
    room: string | null;
  }): Promise<number[] | undefined> {
    const nicknames = mentionedNicknames(message.content);
    if (nicknames.length === 0) return undefined;
    const found = [...new Set((await this.lookUp(nicknames)).map((user) => user.id))].filter(
      (userId) => userId !== message.senderId,
    );
    const readable = await Promise.all(found.map((userId) => this.canRead(userId, message)));
    const readers = found.filter((_, i) => readable[i]);
    return readers.length > 0 ? readers.sort((a, b) => a - b) : undefined;
  }

  private async lookUp(nicknames: string[]): Promise<PublicUser[]> {
    if (this.users.findByNicknames) return this.users.findByNicknames(nicknames);
    const wanted = new Set(nicknames);
    return (await this.users.list()).filter((user) => wanted.has(user.nickname.toLowerCase()));
  }

  private async canRead(userId: number, message: { recipientId: number | null; room: string | null }) {
    if (message.recipientId !== null) return userId === message.recipientId;
    return (await this.policy.access(userId, message.room ?? LOBBY)) !== null;
  }
}
