import type { PostgresMigration } from '../../drivers/postgres.js';

/** Schema of the moderation records on PostgreSQL (namespace `moderation`), as on SQLite. */
export const moderationPostgresMigrations: PostgresMigration[] = [
  {
    id: 1,
    sql: `
      CREATE TABLE chat_blocks (
        user_id BIGINT NOT NULL,
        blocked_id BIGINT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (user_id, blocked_id)
      );
      CREATE TABLE chat_mutes (
        room TEXT NOT NULL,
        user_id BIGINT NOT NULL,
        until BIGINT,
        muted_by BIGINT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (room, user_id)
      );
      CREATE TABLE chat_flags (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        message_id BIGINT NOT NULL,
        room TEXT NOT NULL,
        flagger_id BIGINT NOT NULL,
        reason TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        resolved_by BIGINT,
        resolved_at BIGINT,
        resolution TEXT,
        UNIQUE (message_id, flagger_id)
      );
      CREATE INDEX chat_flags_open ON chat_flags (room, id) WHERE resolved_at IS NULL;
      CREATE TABLE chat_audit (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        actor_id BIGINT NOT NULL,
        action TEXT NOT NULL,
        room TEXT,
        target_user_id BIGINT,
        message_id BIGINT,
        flag_id BIGINT,
        detail TEXT,
        created_at BIGINT NOT NULL
      );
    `,
  },
  {
    // the sweep of ended mutes and the next end: a range of the timed mutes by their end
    id: 2,
    sql: 'CREATE INDEX chat_mutes_until ON chat_mutes (until) WHERE until IS NOT NULL;',
  },
];
