import { Inject, Injectable } from '@nestjs/common';
import type { PublicUser } from '../protocol/frames.js';
import { ChatRoomPolicy } from '../rooms/chat-room.policy.js';
import { CHAT_USER_DIRECTORY } from '../users/chat-user-directory.token.js';
import type { ChatUserDirectory } from '../users/chat-user.directory.js';
import { mentionedNicknames } from './mention-parser.js';

/**
 * Resolves the `@nickname`s of a new message to user ids with one batched lookup of the user
 * directory (`findByNicknames`; without it, `list()` is filtered). Only users who can read the
 * message count: in a room, those the forum lets read it (the policy decides); in a private
 * message, the recipient. The sender never mentions themself. Ascending ids; undefined when
 * none, so a message without mentions stays exactly as before.
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
    const found = (await this.lookUp(nicknames)).filter((user) => user.id !== message.senderId);
    const readers: number[] = [];
    for (const user of found) if (await this.canRead(user.id, message)) readers.push(user.id);
    return readers.length > 0 ? [...new Set(readers)].sort((a, b) => a - b) : undefined;
  }

  private async lookUp(nicknames: string[]): Promise<PublicUser[]> {
    if (this.users.findByNicknames) return this.users.findByNicknames(nicknames);
    const wanted = new Set(nicknames);
    return (await this.users.list()).filter((user) => wanted.has(user.nickname.toLowerCase()));
  }

  private async canRead(userId: number, message: { recipientId: number | null; room: string | null }) {
    if (message.recipientId !== null) return userId === message.recipientId;
    return (await this.policy.access(userId, message.room ?? 'lobby')) !== null;
  }
}
