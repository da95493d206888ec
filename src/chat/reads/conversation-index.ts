/**
 * Unread counts are exact up to this many; past it a store answers `UNREAD_COUNT_LIMIT + 1`
 * (the frames say `unread_more`), so counting is one bounded index range per conversation.
 */
export const UNREAD_COUNT_LIMIT = 99;

/** One private conversation of a user: the partner, the last message and the user's read state. */
export interface ConversationSummary {
  partnerId: number;
  lastMessageId: number;
  lastMessageAt: number;
  /** The user's read position: the greatest message id of the conversation they marked read (0: none). */
  readId: number;
  /** Messages from the partner with an id above `readId` that are not deleted, at most `UNREAD_COUNT_LIMIT + 1`. */
  unread: number;
  /** Of those, the ones that mention the user, at most `UNREAD_COUNT_LIMIT + 1`. */
  mentions: number;
}

/** A page of a user's conversations, most recent first. */
export interface ConversationPage {
  conversations: ConversationSummary[];
  hasMore: boolean;
}

/**
 * The index of each user's private conversations, kept by the message store as it appends
 * (one row per user and partner, in the same commit as the message). Guarantees:
 * - `conversationPage` lists only the partners the viewer exchanged a private message with,
 *   ordered by their last message id descending (most recent first), those with
 *   `lastMessageId` < `beforeId`, at most `limit`; one index range, whatever the number of
 *   users or messages.
 * - `markConversationRead` moves the user's read position to `messageId`, capped at the
 *   conversation's last message, and never backwards; it answers the conversation as it is
 *   then (null when the two never exchanged a message). The position is durable like a message.
 */
export interface ConversationIndex {
  conversationPage(query: { viewerId: number; beforeId?: number; limit: number }): Promise<ConversationPage>;
  markConversationRead(mark: {
    userId: number;
    partnerId: number;
    messageId: number;
  }): Promise<ConversationSummary | null>;
}
