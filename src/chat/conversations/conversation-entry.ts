import type { ConversationSummary } from '../reads/conversation-index.js';
import { UNREAD_COUNT_LIMIT } from '../reads/conversation-index.js';
import type { ConversationEntry, PublicUser, ReadFrame } from '../protocol/frames.js';
import { timestamp } from '../protocol/timestamp.js';

/** `unread` as the frames carry it: at most 99, with `unread_more` beyond. */
export function unreadFields(count: number): { unread: number; unread_more?: boolean } {
  return count > UNREAD_COUNT_LIMIT ? { unread: UNREAD_COUNT_LIMIT, unread_more: true } : { unread: count };
}

/** The wire form of one conversation of the caller. */
export function toConversationEntry(
  summary: ConversationSummary,
  user: PublicUser,
  online: boolean,
): ConversationEntry {
  return {
    id: user.id,
    nickname: user.nickname,
    online,
    last_message_at: timestamp(summary.lastMessageAt),
    last_message_id: summary.lastMessageId,
    read_id: summary.readId,
    ...unreadFields(summary.unread),
    mentions: Math.min(summary.mentions, UNREAD_COUNT_LIMIT),
  };
}

/** The `read` frame of one conversation of the caller. */
export function toReadFrame(summary: ConversationSummary): ReadFrame {
  return {
    type: 'read',
    with: summary.partnerId,
    id: summary.readId,
    ...unreadFields(summary.unread),
    mentions: Math.min(summary.mentions, UNREAD_COUNT_LIMIT),
  };
}
