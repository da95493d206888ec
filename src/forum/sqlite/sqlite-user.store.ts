import type { Statement } from 'better-sqlite3';
import { SqliteDatabase } from '../../drivers/sqlite.js';
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

/** `UserStore` on the embedded SQLite database. */
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
      'INSERT INTO forum_users (nickname, email, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING *',
    );
    this.byLogin = db.prepare(
      // `email IS NOT NULL` lets the partial index on lower(email) serve its half of the OR
      'SELECT * FROM forum_users WHERE lower(nickname) = lower(@login) OR (email IS NOT NULL AND lower(email) = lower(@login)) ORDER BY id LIMIT 1',
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
      return toRecord(this.insert.get(user.nickname, user.email, user.passwordHash, Date.now()) as UserRow);
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new UserTakenError('nickname or email already registered');
      }
      throw error;
    }
  }

  async findByLogin(login: string): Promise<UserRecord | null> {
    const row = this.byLogin.get({ login }) as UserRow | undefined;
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
