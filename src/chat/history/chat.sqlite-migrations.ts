import type { SqliteMigration } from '../../drivers/sqlite.js';

/**
 * Schema of the chat on SQLite. `conv_lo`/`conv_hi` name the private conversation (the two
 * user ids in order; 0/0 for every room message) so one index serves its history pages;
 * `room` names the room of a room message (null for a private one), indexed with the id;
 * `chat_conversations` keeps each user's last private message time per partner, so the
 * conversation list never scans messages.
 */
export const chatSqliteMigrations: SqliteMigration[] = [
  {
    id: 1,
    sql: `
      CREATE TABLE chat_messages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        sender_id INTEGER NOT NULL,
        sender_nickname TEXT NOT NULL,
        recipient_id INTEGER,
        conv_lo INTEGER NOT NULL,
        conv_hi INTEGER NOT NULL,
        content TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        client_id TEXT
      );
      CREATE INDEX chat_messages_conversation ON chat_messages (conv_lo, conv_hi, id);
      CREATE INDEX chat_messages_sent_private ON chat_messages (sender_id, id) WHERE recipient_id IS NOT NULL;
      CREATE INDEX chat_messages_received ON chat_messages (recipient_id, id) WHERE recipient_id IS NOT NULL;
      CREATE UNIQUE INDEX chat_messages_client_id ON chat_messages (sender_id, client_id) WHERE client_id IS NOT NULL;
      CREATE TABLE chat_conversations (
        user_id INTEGER NOT NULL,
        partner_id INTEGER NOT NULL,
        last_message_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, partner_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    // edits and deletions: `changed_at` (the later of the two) lets `resume` replay changes
    id: 2,
    sql: `
      ALTER TABLE chat_messages ADD COLUMN edited_at INTEGER;
      ALTER TABLE chat_messages ADD COLUMN deleted_at INTEGER;
      ALTER TABLE chat_messages ADD COLUMN changed_at INTEGER;
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
