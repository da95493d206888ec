import type { Statement } from 'better-sqlite3';
import { SqliteDatabase } from '../../database/sqlite.js';
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

/** `UserStore` on the embedded SQLite database. */
export class SqliteUserStore implements UserStore {
  private readonly insert: Statement;
  private readonly byLogin: Statement;
  private readonly byId: Statement;
  private readonly all: Statement;

  constructor(db: SqliteDatabase) {
    this.insert = db.prepare(
      'INSERT INTO forum_users (nickname, email, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING *',
    );
    this.byLogin = db.prepare(
      'SELECT * FROM forum_users WHERE lower(nickname) = lower(@login) OR lower(email) = lower(@login) ORDER BY id LIMIT 1',
    );
    this.byId = db.prepare('SELECT * FROM forum_users WHERE id = ?');
    this.all = db.prepare('SELECT id, nickname FROM forum_users ORDER BY id');
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

  async list(): Promise<Array<Pick<UserRecord, 'id' | 'nickname'>>> {
    return this.all.all() as Array<Pick<UserRecord, 'id' | 'nickname'>>;
  }
}
