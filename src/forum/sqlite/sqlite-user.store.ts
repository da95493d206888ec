import type { Statement } from 'better-sqlite3';
import { SqliteDatabase } from '../../drivers/sqlite.js';
import { loginKey } from '../users/login-key.js';
import { nicknameSkeleton } from '../users/nickname-skeleton.js';
import { UserRecord, UserStore, UserTakenError } from '../users/user.store.js';

interface UserRow {
  id: number;
  nickname: string;
  email: string | null;
  password_hash: string;
}

const toRecord = (row: UserRow): UserRecord => ({
  id: row.id,
  nickname: row.nickname,
  email: row.email,
  passwordHash: row.password_hash,
});

/** One range of the unique index on `lower(nickname)`: prefix ≤ name < prefix + U+FFFF, after the cursor. */
export const SEARCH_BY_NICKNAME = `SELECT id, nickname FROM forum_users
  WHERE lower(nickname) >= @prefix AND lower(nickname) < @prefix || char(65535) AND lower(nickname) > @after
  ORDER BY lower(nickname) LIMIT @limit`;

/**
 * Fills the folded keys (`loginKey`) of users stored before the keys existed. A row whose
 * key another user already holds keeps no key (it cannot be found by that name) and is
 * reported in the answer.
 */
export function backfillSqliteLoginKeys(db: SqliteDatabase): number[] {
  const rows = db
    .prepare('SELECT id, nickname, email FROM forum_users WHERE nickname_key IS NULL ORDER BY id')
    .all() as Array<Pick<UserRow, 'id' | 'nickname' | 'email'>>;
  const fill = db.prepare('UPDATE forum_users SET nickname_key = ?, email_key = ? WHERE id = ?');
  const clashes: number[] = [];
  for (const row of rows) {
    try {
      fill.run(loginKey(row.nickname), row.email === null ? null : loginKey(row.email), row.id);
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw error;
      clashes.push(row.id);
    }
  }
  return clashes;
}

/**
 * Fills the skeleton (`nicknameSkeleton`) of users stored before it existed. A nickname that
 * looks like an earlier user's keeps none (it still logs in) and is reported in the answer.
 */
export function backfillSqliteNicknameSkeletons(db: SqliteDatabase): number[] {
  const rows = db
    .prepare('SELECT id, nickname FROM forum_users WHERE nickname_skeleton IS NULL ORDER BY id')
    .all() as Array<Pick<UserRow, 'id' | 'nickname'>>;
  const fill = db.prepare('UPDATE forum_users SET nickname_skeleton = ? WHERE id = ?');
  const clashes: number[] = [];
  for (const row of rows) {
    try {
      fill.run(nicknameSkeleton(row.nickname), row.id);
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw error;
      clashes.push(row.id);
    }
  }
  return clashes;
}

/** `UserStore` on the embedded SQLite database; names are found by their `loginKey`. */
export class SqliteUserStore implements UserStore {
  private readonly insert: Statement;
  private readonly byLogin: Statement;
  private readonly byId: Statement;
  private readonly all: Statement;
  private readonly byIds: Statement;
  private readonly byNicknames: Statement;
  private readonly byPrefix: Statement;
  private readonly rehash: Statement;

  constructor(db: SqliteDatabase) {
    this.insert = db.prepare(
      `INSERT INTO forum_users (nickname, email, password_hash, created_at, nickname_key, email_key, nickname_skeleton)
       VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    );
    this.byLogin = db.prepare(
      // each half of the OR is served by its unique index on the key
      'SELECT * FROM forum_users WHERE nickname_key = @key OR email_key = @key ORDER BY id LIMIT 1',
    );
    this.byId = db.prepare('SELECT * FROM forum_users WHERE id = ?');
    this.all = db.prepare('SELECT id, nickname FROM forum_users ORDER BY id');
    this.byIds = db.prepare(
      'SELECT id, nickname FROM forum_users WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id',
    );
    this.byNicknames = db.prepare(
      'SELECT id, nickname FROM forum_users WHERE lower(nickname) IN (SELECT lower(value) FROM json_each(?))',
    );
    this.byPrefix = db.prepare(SEARCH_BY_NICKNAME);
    this.rehash = db.prepare('UPDATE forum_users SET password_hash = ? WHERE id = ? AND password_hash = ?');
  }

  async create(user: { nickname: string; email: string | null; passwordHash: string }): Promise<UserRecord> {
    try {
      const keys = [
        loginKey(user.nickname),
        user.email === null ? null : loginKey(user.email),
        nicknameSkeleton(user.nickname),
      ];
      return toRecord(this.insert.get(user.nickname, user.email, user.passwordHash, Date.now(), ...keys) as UserRow);
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        const lookAlike = (error as Error).message.includes('nickname_skeleton');
        throw new UserTakenError(
          lookAlike ? 'nickname looks like a registered one' : 'nickname or email already registered',
          lookAlike,
        );
      }
      throw error;
    }
  }

  async findByLogin(login: string): Promise<UserRecord | null> {
    const row = this.byLogin.get({ key: loginKey(login) }) as UserRow | undefined;
    return row ? toRecord(row) : null;
  }

  async findById(id: number): Promise<UserRecord | null> {
    const row = this.byId.get(id) as UserRow | undefined;
    return row ? toRecord(row) : null;
  }

  async replacePasswordHash(id: number, previous: string, next: string): Promise<boolean> {
    return this.rehash.run(next, id, previous).changes === 1;
  }

  async list(): Promise<Array<Pick<UserRecord, 'id' | 'nickname'>>> {
    return this.all.all() as Array<Pick<UserRecord, 'id' | 'nickname'>>;
  }

  async findByIds(ids: number[]): Promise<Array<Pick<UserRecord, 'id' | 'nickname'>>> {
    if (ids.length === 0) return [];
    return this.byIds.all(JSON.stringify(ids)) as Array<Pick<UserRecord, 'id' | 'nickname'>>;
  }

  async findByNicknames(nicknames: string[]): Promise<Array<Pick<UserRecord, 'id' | 'nickname'>>> {
    if (nicknames.length === 0) return [];
    return this.byNicknames.all(JSON.stringify(nicknames)) as Array<Pick<UserRecord, 'id' | 'nickname'>>;
  }

  async searchByNickname(query: {
    prefix: string;
    after: string;
    limit: number;
  }): Promise<Array<Pick<UserRecord, 'id' | 'nickname'>>> {
    return this.byPrefix.all(query) as Array<Pick<UserRecord, 'id' | 'nickname'>>;
  }
}
