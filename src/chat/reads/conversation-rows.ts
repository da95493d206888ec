import type { ConversationSummary } from './conversation-index.js';

/** A conversation row with its counts as either driver returns it (PostgreSQL's BIGINT and count arrive as strings). */
export interface ConversationRow {
  partner_id: number | string;
  last_message_id: number | string;
  last_message_at: number | string;
  read_id: number | string;
  unread: number | string;
  mentions: number | string;
}

/** The `ConversationSummary` a row holds, numbers as numbers. */
export const toConversationSummary = (row: ConversationRow): ConversationSummary => ({
  partnerId: Number(row.partner_id),
  lastMessageId: Number(row.last_message_id),
  lastMessageAt: Number(row.last_message_at),
  readId: Number(row.read_id),
  unread: Number(row.unread),
  mentions: Number(row.mentions),
});
