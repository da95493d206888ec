import type { ConversationSummary } from '../reads/conversation-index.js';
import { UNREAD_COUNT_LIMIT } from '../reads/conversation-index.js';
import type { ConversationEntry, PublicUser, ReadFrame } from '../protocol/frames.js';
import { timestamp } from '../protocol/timestamp.js';

/**
 * The unread counts of a conversation or room as they go on the wire: `unread` and
 * `mentions` capped at `UNREAD_COUNT_LIMIT`, with `unread_more` when more are unread.
 */
export function unreadCounts(state: { unread: number; mentions: number }): {
  unread: number;
  unread_more?: boolean;
  mentions: number;
} {
  const mentions = Math.min(state.mentions, UNREAD_COUNT_LIMIT);
  return state.unread > UNREAD_COUNT_LIMIT
    ? { unread: UNREAD_COUNT_LIMIT, unread_more: true, mentions }
    : { unread: state.unread, mentions };
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
    ...unreadCounts(summary),
  };
}

/** The `read` frame of one conversation of the caller. */
export function toReadFrame(summary: ConversationSummary): ReadFrame {
  return {
    type: 'read',
    with: summary.partnerId,
    id: summary.readId,
    ...unreadCounts(summary),
  };
}
