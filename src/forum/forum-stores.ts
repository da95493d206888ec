import { parseDatabaseUrl } from '../database/database-url.js';
import { migrateSqlite, openSqlite } from '../database/sqlite.js';
import { SessionStore } from './sessions/session.store.js';
import { forumSqliteMigrations } from './sqlite/forum.sqlite-migrations.js';
import { SqliteSessionStore } from './sqlite/sqlite-session.store.js';
import { SqliteUserStore } from './sqlite/sqlite-user.store.js';
import { UserStore } from './users/user.store.js';

/** The forum's stores on one database connection, migrated and ready. */
export interface ForumStores {
  users: UserStore;
  sessions: SessionStore;
  /** Whether the database answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Opens the database of `databaseUrl`, applies the forum's migrations and returns its stores. */
export async function openForumStores(databaseUrl: string): Promise<ForumStores> {
  const location = parseDatabaseUrl(databaseUrl);
  if (location.engine === 'sqlite') {
    const db = openSqlite(location.path);
    migrateSqlite(db, 'forum', forumSqliteMigrations);
    return {
      users: new SqliteUserStore(db),
      sessions: new SqliteSessionStore(db),
      ping: async () => db.prepare('SELECT 1').get() !== undefined,
      close: async () => void db.close(),
    };
  }
  throw new Error('the forum stores do not support PostgreSQL yet');
}
