import type { PostgresMigration } from '../../database/postgres.js';

/** Schema of the stand-in forum on PostgreSQL: users and hashed sessions (as on SQLite). */
export const forumPostgresMigrations: PostgresMigration[] = [
  {
    id: 1,
    sql: `
      CREATE TABLE forum_users (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        nickname TEXT NOT NULL,
        email TEXT,
        password_hash TEXT NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE UNIQUE INDEX forum_users_nickname ON forum_users (lower(nickname));
      CREATE UNIQUE INDEX forum_users_email ON forum_users (lower(email)) WHERE email IS NOT NULL;
      CREATE TABLE forum_sessions (
        key TEXT PRIMARY KEY,
        user_id BIGINT NOT NULL REFERENCES forum_users (id),
        expires_at BIGINT NOT NULL,
        revoked_at BIGINT
      );
      CREATE INDEX forum_sessions_user ON forum_sessions (user_id);
    `,
  },
];
