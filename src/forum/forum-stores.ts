import { Logger } from '@nestjs/common';
import { parseDatabaseUrl } from '../drivers/database-url.js';
import { migratePostgres, openPostgres, pingPostgres } from '../drivers/postgres.js';
import { migrateSqlite, openSqlite } from '../drivers/sqlite.js';
import { forumPostgresMigrations } from './postgres/forum.postgres-migrations.js';
import { PostgresSessionStore } from './postgres/postgres-session.store.js';
import { PostgresRoomStore } from './postgres/postgres-room.store.js';
import {
  backfillPostgresLoginKeys,
  backfillPostgresNicknameSkeletons,
  PostgresUserStore,
} from './postgres/postgres-user.store.js';
import type { RoomStore } from './rooms/room.store.js';
import { SessionStore } from './sessions/session.store.js';
import { forumSqliteMigrations } from './sqlite/forum.sqlite-migrations.js';
import { SqliteSessionStore } from './sqlite/sqlite-session.store.js';
import { SqliteRoomStore } from './sqlite/sqlite-room.store.js';
import {
  backfillSqliteLoginKeys,
  backfillSqliteNicknameSkeletons,
  SqliteUserStore,
} from './sqlite/sqlite-user.store.js';
import { UserStore } from './users/user.store.js';

/** The forum's stores on one database connection, migrated and ready. */
export interface ForumStores {
  users: UserStore;
  sessions: SessionStore;
  rooms: RoomStore;
  /** Whether the database answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

function warnOfClashes(userIds: number[]): void {
  if (userIds.length === 0) return;
  new Logger('ForumStores').warn(
    `users ${userIds.join(', ')} share a folded nickname or e-mail with an earlier user and cannot log in by it`,
  );
}

function warnOfLookAlikes(userIds: number[]): void {
  if (userIds.length === 0) return;
  new Logger('ForumStores').warn(
    `users ${userIds.join(', ')} have nicknames that look like an earlier user's (kept; new look-alikes are refused)`,
  );
}

/** Opens the database of `databaseUrl`, applies the forum's migrations and returns its stores. */
export async function openForumStores(databaseUrl: string): Promise<ForumStores> {
  const location = parseDatabaseUrl(databaseUrl);
  if (location.engine === 'sqlite') {
    const db = openSqlite(location.path);
    migrateSqlite(db, 'forum', forumSqliteMigrations);
    warnOfClashes(backfillSqliteLoginKeys(db));
    warnOfLookAlikes(backfillSqliteNicknameSkeletons(db));
    return {
      users: new SqliteUserStore(db),
      sessions: new SqliteSessionStore(db),
      rooms: new SqliteRoomStore(db),
      ping: async () => db.prepare('SELECT 1').get() !== undefined,
      close: async () => void db.close(),
    };
  }
  const pool = await openPostgres(location.url, { max: 5, name: 'forum' });
  try {
    await migratePostgres(pool, 'forum', forumPostgresMigrations);
    warnOfClashes(await backfillPostgresLoginKeys(pool));
    warnOfLookAlikes(await backfillPostgresNicknameSkeletons(pool));
  } catch (error) {
    await pool.end();
    throw error;
  }
  return {
    users: new PostgresUserStore(pool),
    sessions: new PostgresSessionStore(pool),
    rooms: new PostgresRoomStore(pool),
    ping: () => pingPostgres(pool),
    close: () => pool.end(),
  };
}
