import type { SqliteMigration } from '../../drivers/sqlite.js';

/**
 * Schema of the moderation records on SQLite (namespace `moderation`, beside the chat's
 * messages): blocks per user, mutes per room and user, flags on messages (one per message
 * and flagger), the audit log.
 */
export const moderationSqliteMigrations: SqliteMigration[] = [
  {
    id: 1,
    sql: `
      CREATE TABLE chat_blocks (
        user_id INTEGER NOT NULL,
        blocked_id INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, blocked_id)
      ) WITHOUT ROWID;
      CREATE TABLE chat_mutes (
        room TEXT NOT NULL,
        user_id INTEGER NOT NULL,
        until INTEGER,
        muted_by INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (room, user_id)
      ) WITHOUT ROWID;
      CREATE TABLE chat_flags (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        message_id INTEGER NOT NULL,
        room TEXT NOT NULL,
        flagger_id INTEGER NOT NULL,
        reason TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        resolved_by INTEGER,
        resolved_at INTEGER,
        resolution TEXT,
        UNIQUE (message_id, flagger_id)
      );
      CREATE INDEX chat_flags_open ON chat_flags (room, id) WHERE resolved_at IS NULL;
      CREATE TABLE chat_audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        actor_id INTEGER NOT NULL,
        action TEXT NOT NULL,
        room TEXT,
        target_user_id INTEGER,
        message_id INTEGER,
        flag_id INTEGER,
        detail TEXT,
        created_at INTEGER NOT NULL
      );
    `,
  },
  {
    // the sweep of ended mutes and the next end: a range of the timed mutes by their end
    id: 2,
    sql: 'CREATE INDEX chat_mutes_until ON chat_mutes (until) WHERE until IS NOT NULL;',
  },
];
