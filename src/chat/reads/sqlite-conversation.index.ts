import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../../drivers/sqlite.js';
import { ConversationIndex, ConversationPage, ConversationSummary, UNREAD_COUNT_LIMIT } from './conversation-index.js';
import { ConversationRow, toConversationSummary } from './conversation-rows.js';

/** Unread messages of one conversation row `c`: one range of `chat_messages_unread_private`, bounded. */
const UNREAD = `(SELECT count(*) FROM (
    SELECT 1 FROM chat_messages m
    WHERE m.recipient_id = c.user_id AND m.sender_id = c.partner_id AND m.id > c.read_id AND m.deleted_at IS NULL
    LIMIT ${UNREAD_COUNT_LIMIT + 1})) AS unread,
  (SELECT count(*) FROM (
    SELECT 1 FROM chat_mentions k
    WHERE k.user_id = c.user_id AND k.sender_id = c.partner_id AND k.room IS NULL AND k.message_id > c.read_id
    LIMIT ${UNREAD_COUNT_LIMIT + 1})) AS mentions`;

/** One range of `chat_conversations_recent`, newest first, with each row's bounded unread count. */
export const SQLITE_CONVERSATION_PAGE = `SELECT c.partner_id, c.last_message_id, c.last_message_at, c.read_id, ${UNREAD}
  FROM chat_conversations c WHERE c.user_id = @viewer AND c.last_message_id < @before
  ORDER BY c.last_message_id DESC LIMIT @limit`;

/**
 * `ConversationIndex` on the SQLite database of `SqliteMessageStore` (which keeps the rows
 * as it appends). The file has one writer process, so a read position update is atomic.
 */
export class SqliteConversationIndex implements ConversationIndex {
  private readonly page: Statement;
  private readonly advance: Statement;
  private readonly one: Statement;

  constructor(db: SqliteDatabase) {
    this.page = db.prepare(SQLITE_CONVERSATION_PAGE);
    this.advance = db.prepare(
      `UPDATE chat_conversations SET read_id = max(read_id, min(@id, last_message_id))
       WHERE user_id = @user AND partner_id = @partner`,
    );
    this.one = db.prepare(
      `SELECT c.partner_id, c.last_message_id, c.last_message_at, c.read_id, ${UNREAD}
       FROM chat_conversations c WHERE c.user_id = @user AND c.partner_id = @partner`,
    );
  }

  async conversationPage(query: { viewerId: number; beforeId?: number; limit: number }): Promise<ConversationPage> {
    const rows = this.page.all({
      viewer: query.viewerId,
      before: query.beforeId ?? Number.MAX_SAFE_INTEGER,
      limit: query.limit + 1,
    }) as ConversationRow[];
    return { conversations: rows.slice(0, query.limit).map(toConversationSummary), hasMore: rows.length > query.limit };
  }

  async markConversationRead(mark: {
    userId: number;
    partnerId: number;
    messageId: number;
  }): Promise<ConversationSummary | null> {
    const key = { user: mark.userId, partner: mark.partnerId };
    this.advance.run({ ...key, id: mark.messageId });
    const row = this.one.get(key) as ConversationRow | undefined;
    return row ? toConversationSummary(row) : null;
  }
}
