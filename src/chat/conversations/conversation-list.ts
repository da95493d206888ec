import { Inject, Injectable } from '@nestjs/common';
import type { ChatParticipant } from '../chat-participant.js';
import { MessageStore } from '../history/message.store.js';
import { ChatRateLimits } from '../limits/chat-rate-limits.js';
import { PresenceService } from '../presence/presence.service.js';
import { CONVERSATIONS_DEFAULT_LIMIT, ConversationsDto } from '../protocol/dto/read-state.dto.js';
import type { ConversationEntry, ConversationsFrame } from '../protocol/frames.js';
import { CHAT_USER_DIRECTORY } from '../users/chat-user-directory.token.js';
import type { ChatUserDirectory } from '../users/chat-user.directory.js';
import { usersByIds } from '../users/users-by-ids.js';
import { toConversationEntry } from './conversation-entry.js';

/**
 * `conversations`: one page of the caller's private conversations, most recent first, each
 * with the other user's online state and the caller's unread count. Costs one index range of
 * the message store, one batched user lookup and one presence lookup for the page, whatever
 * the number of members of the forum. A partner the directory no longer knows is left out.
 */
@Injectable()
export class ConversationList {
  constructor(
    @Inject(MessageStore) private readonly store: MessageStore,
    @Inject(CHAT_USER_DIRECTORY) private readonly users: ChatUserDirectory,
    private readonly presence: PresenceService,
    private readonly limits: ChatRateLimits,
  ) {}

  async page(participant: ChatParticipant, dto: ConversationsDto): Promise<ConversationsFrame> {
    await this.limits.charge('conversations', participant.user.id);
    const page = await this.store.conversationPage({
      viewerId: participant.user.id,
      beforeId: dto.before ?? undefined,
      limit: dto.limit ?? CONVERSATIONS_DEFAULT_LIMIT,
    });
    const ids = page.conversations.map((summary) => summary.partnerId);
    const [users, online] = await Promise.all([usersByIds(this.users, ids), this.presence.onlineAmong(ids)]);
    const entries: ConversationEntry[] = [];
    for (const summary of page.conversations) {
      const user = users.get(summary.partnerId);
      if (user) entries.push(toConversationEntry(summary, user, online.has(user.id)));
    }
    return { type: 'conversations', users: entries, has_more: page.hasMore };
  }
}
