import type { PostgresMigration } from '../../drivers/postgres.js';

/**
 * Read state on PostgreSQL (namespace `chat_read_state`, applied after the chat's own
 * schema), the same design as on SQLite: each conversation row gets its last message id
 * (the order of the conversation list) and the user's read position; unread private
 * messages are one range of `chat_messages_unread_private` per conversation. Conversations
 * that existed before count as read.
 */
export const readStatePostgresMigrations: PostgresMigration[] = [
  {
    id: 1,
    sql: `
      ALTER TABLE chat_conversations ADD COLUMN last_message_id BIGINT NOT NULL DEFAULT 0;
      ALTER TABLE chat_conversations ADD COLUMN read_id BIGINT NOT NULL DEFAULT 0;
      UPDATE chat_conversations c SET last_message_id = coalesce((
        SELECT max(id) FROM chat_messages
        WHERE conv_lo = LEAST(c.user_id, c.partner_id) AND conv_hi = GREATEST(c.user_id, c.partner_id)), 0);
      UPDATE chat_conversations SET read_id = last_message_id;
      CREATE INDEX chat_conversations_recent ON chat_conversations (user_id, last_message_id);
      CREATE INDEX chat_messages_unread_private ON chat_messages (recipient_id, sender_id, id)
        WHERE recipient_id IS NOT NULL AND deleted_at IS NULL;
    `,
  },
  {
    // a user's read position per room (rows only for rooms they marked read)
    id: 2,
    sql: `
      CREATE TABLE chat_room_reads (
        user_id BIGINT NOT NULL,
        room TEXT NOT NULL,
        read_id BIGINT NOT NULL,
        PRIMARY KEY (user_id, room)
      );
    `,
  },
  {
    // mentions: on the message (its frame carries them) and one row per mentioned user, counted
    // per room or per private conversation after the user's read position
    id: 3,
    sql: `
      ALTER TABLE chat_messages ADD COLUMN mentions TEXT;
      CREATE TABLE chat_mentions (
        user_id BIGINT NOT NULL,
        message_id BIGINT NOT NULL,
        room TEXT,
        sender_id BIGINT NOT NULL,
        PRIMARY KEY (user_id, message_id)
      );
      CREATE INDEX chat_mentions_room ON chat_mentions (user_id, room, message_id) WHERE room IS NOT NULL;
      CREATE INDEX chat_mentions_private ON chat_mentions (user_id, sender_id, message_id) WHERE room IS NULL;
    `,
  },
];
