import type { PostgresPool } from '../../drivers/postgres.js';
import { ConversationIndex, ConversationPage, ConversationSummary, UNREAD_COUNT_LIMIT } from './conversation-index.js';
import { ConversationRow, toConversationSummary } from './conversation-rows.js';

/** Unread messages of one conversation row `c`: one range of `chat_messages_unread_private`, bounded. */
const UNREAD = `LEFT JOIN LATERAL (SELECT count(*) AS unread FROM (
    SELECT 1 FROM chat_messages m
    WHERE m.recipient_id = c.user_id AND m.sender_id = c.partner_id AND m.id > c.read_id AND m.deleted_at IS NULL
    LIMIT ${UNREAD_COUNT_LIMIT + 1}) AS u) AS unread ON true
  LEFT JOIN LATERAL (SELECT count(*) AS mentions FROM (
    SELECT 1 FROM chat_mentions k
    WHERE k.user_id = c.user_id AND k.sender_id = c.partner_id AND k.room IS NULL AND k.message_id > c.read_id
    LIMIT ${UNREAD_COUNT_LIMIT + 1}) AS k) AS mentioned ON true`;

/** One range of `chat_conversations_recent`, newest first, with each row's bounded unread count. */
export const POSTGRES_CONVERSATION_PAGE = `SELECT c.partner_id, c.last_message_id, c.last_message_at, c.read_id, unread.unread, mentioned.mentions
  FROM (SELECT * FROM chat_conversations WHERE user_id = $1 AND last_message_id < $2
        ORDER BY last_message_id DESC LIMIT $3) AS c ${UNREAD}
  ORDER BY c.last_message_id DESC`;

const ADVANCE = `WITH moved AS (
    UPDATE chat_conversations SET read_id = GREATEST(read_id, LEAST($3::bigint, last_message_id))
    WHERE user_id = $1 AND partner_id = $2 RETURNING *)
  SELECT c.partner_id, c.last_message_id, c.last_message_at, c.read_id, unread.unread, mentioned.mentions
  FROM moved c ${UNREAD}`;

/**
 * `ConversationIndex` on the PostgreSQL database of `PostgresMessageStore` (which keeps the
 * rows as it appends). A read position moves in one statement (`GREATEST`), so concurrent
 * marks from several instances never move it backwards.
 */
export class PostgresConversationIndex implements ConversationIndex {
  constructor(private readonly pool: PostgresPool) {}

  async conversationPage(query: { viewerId: number; beforeId?: number; limit: number }): Promise<ConversationPage> {
    const { rows } = await this.pool.query<ConversationRow>(POSTGRES_CONVERSATION_PAGE, [
      query.viewerId,
      query.beforeId ?? Number.MAX_SAFE_INTEGER,
      query.limit + 1,
    ]);
    return { conversations: rows.slice(0, query.limit).map(toConversationSummary), hasMore: rows.length > query.limit };
  }

  async markConversationRead(mark: {
    userId: number;
    partnerId: number;
    messageId: number;
  }): Promise<ConversationSummary | null> {
    const { rows } = await this.pool.query<ConversationRow>(ADVANCE, [mark.userId, mark.partnerId, mark.messageId]);
    return rows.length > 0 ? toConversationSummary(rows[0]) : null;
  }
}
