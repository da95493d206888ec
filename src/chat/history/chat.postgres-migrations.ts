import type { PostgresMigration } from '../../drivers/postgres.js';

/**
 * Schema of the chat on PostgreSQL, the same design as on SQLite: `conv_lo`/`conv_hi` name
 * the private conversation (the two user ids in order; 0/0 for every room message) so one
 * index serves its history pages; `room` names the room of a room message, indexed with the id; `chat_conversations` keeps each user's last private message
 * time per partner. Ids come from one identity sequence shared by every instance.
 */
export const chatPostgresMigrations: PostgresMigration[] = [
  {
    id: 1,
    sql: `
      CREATE TABLE chat_messages (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        sender_id BIGINT NOT NULL,
        sender_nickname TEXT NOT NULL,
        recipient_id BIGINT,
        conv_lo BIGINT NOT NULL,
        conv_hi BIGINT NOT NULL,
        content TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        client_id TEXT
      );
      CREATE INDEX chat_messages_conversation ON chat_messages (conv_lo, conv_hi, id);
      CREATE INDEX chat_messages_sent_private ON chat_messages (sender_id, id) WHERE recipient_id IS NOT NULL;
      CREATE INDEX chat_messages_received ON chat_messages (recipient_id, id) WHERE recipient_id IS NOT NULL;
      CREATE UNIQUE INDEX chat_messages_client_id ON chat_messages (sender_id, client_id) WHERE client_id IS NOT NULL;
      CREATE TABLE chat_conversations (
        user_id BIGINT NOT NULL,
        partner_id BIGINT NOT NULL,
        last_message_at BIGINT NOT NULL,
        PRIMARY KEY (user_id, partner_id)
      );
    `,
  },
  {
    // edits and deletions: `changed_at` (the later of the two) lets `resume` replay changes
    id: 2,
    sql: `
      ALTER TABLE chat_messages ADD COLUMN edited_at BIGINT;
      ALTER TABLE chat_messages ADD COLUMN deleted_at BIGINT;
      ALTER TABLE chat_messages ADD COLUMN changed_at BIGINT;
      CREATE INDEX chat_messages_changed ON chat_messages (changed_at) WHERE changed_at IS NOT NULL;
    `,
  },
  {
    // rooms: every room message names its room (the public messages stored before are lobby's);
    // a room's history and resume read one index range of `chat_messages_room`
    id: 3,
    sql: `
      ALTER TABLE chat_messages ADD COLUMN room TEXT;
      UPDATE chat_messages SET room = 'lobby' WHERE recipient_id IS NULL;
      CREATE INDEX chat_messages_room ON chat_messages (room, id) WHERE room IS NOT NULL;
    `,
  },
];
