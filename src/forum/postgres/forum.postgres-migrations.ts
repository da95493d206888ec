import type { PostgresMigration } from '../../drivers/postgres.js';

/** Schema of the stand-in forum on PostgreSQL: users, hashed sessions, rooms (as on SQLite). */
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
  {
    id: 2,
    sql: `
      CREATE TABLE forum_rooms (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        public BOOLEAN NOT NULL,
        read_only BOOLEAN NOT NULL DEFAULT false
      );
      CREATE TABLE forum_room_members (
        room_id TEXT NOT NULL REFERENCES forum_rooms (id) ON DELETE CASCADE,
        user_id BIGINT NOT NULL,
        PRIMARY KEY (room_id, user_id)
      );
      CREATE INDEX forum_room_members_user ON forum_room_members (user_id, room_id);
      CREATE TABLE forum_room_moderators (
        room_id TEXT NOT NULL REFERENCES forum_rooms (id) ON DELETE CASCADE,
        user_id BIGINT NOT NULL,
        PRIMARY KEY (room_id, user_id)
      );
      CREATE INDEX forum_users_nickname_prefix ON forum_users ((lower(nickname)) text_pattern_ops);
      INSERT INTO forum_rooms (id, title, public) VALUES ('lobby', 'Lobby', true);
    `,
  },
  {
    // every instance asks for the sessions revoked in the last seconds, twice a second
    id: 3,
    sql: `CREATE INDEX forum_sessions_revoked ON forum_sessions (revoked_at) WHERE revoked_at IS NOT NULL;`,
  },
  {
    // nickname and e-mail folded by loginKey (in JavaScript), filled for older rows at start;
    // uniqueness moves to the keys (the database's lower() folds İ to i, JavaScript does not)
    id: 4,
    sql: `
      ALTER TABLE forum_users ADD COLUMN nickname_key TEXT;
      ALTER TABLE forum_users ADD COLUMN email_key TEXT;
      CREATE UNIQUE INDEX forum_users_nickname_key ON forum_users (nickname_key);
      CREATE UNIQUE INDEX forum_users_email_key ON forum_users (email_key);
      DROP INDEX forum_users_nickname;
      DROP INDEX forum_users_email;
    `,
  },
  {
    // what each nickname looks like (nicknameSkeleton, in JavaScript), filled for older rows at start
    id: 5,
    sql: `
      ALTER TABLE forum_users ADD COLUMN nickname_skeleton TEXT;
      CREATE UNIQUE INDEX forum_users_nickname_skeleton ON forum_users (nickname_skeleton);
    `,
  },
];
