import { SqliteMigration } from '../../database/sqlite.js';

/** Schema of the stand-in forum on SQLite: users and hashed sessions. */
export const forumSqliteMigrations: SqliteMigration[] = [
  {
    id: 1,
    sql: `
      CREATE TABLE forum_users (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        nickname TEXT NOT NULL,
        email TEXT,
        password_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX forum_users_nickname ON forum_users (lower(nickname));
      CREATE UNIQUE INDEX forum_users_email ON forum_users (lower(email)) WHERE email IS NOT NULL;
      CREATE TABLE forum_sessions (
        key TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES forum_users (id),
        expires_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE INDEX forum_sessions_user ON forum_sessions (user_id);
    `,
  },
];
